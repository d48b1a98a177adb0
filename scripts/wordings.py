#!/usr/bin/env python3
"""Generalization check: run osdlint over single-sentence wordings nobody tuned rules on.

    python3 scripts/wordings.py OSDLINT [--min-recall R] [--max-fp N] [-v]

OSDLINT is the osdlint binary or the wrapper scripts/osdlint-dev (which honours
OSDLINT_BIN and OSDLINT_DEV_PATTERNS). Inputs, one sentence a line:

    tests/data/wordings/restrictive.tsv   OSD<TAB>family<TAB>sentence   (must be flagged)
    tests/data/wordings/permissive.tsv    trap<TAB>sentence             (must not be an error)

OSD may list alternatives ("5,6"): the right criterion is met when any diagnostic's `osd`
includes one of them. A restrictive line counts as flagged when it gets at least one error
or warning; a permissive line is a false positive when it gets an error (warnings are
listed separately). Every line becomes its own temp file and a single osdlint process
lints them all.

Exit status: 0 normally; 1 with --min-recall / --max-fp when a threshold is missed;
2 when osdlint itself fails (usage, pattern or I/O error, unparsable output).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(os.path.dirname(HERE), "tests", "data", "wordings")


def read_tsv(path, ncols):
    rows = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != ncols:
                sys.exit(f"{path}:{lineno}: expected {ncols} tab-separated fields, got {len(parts)}")
            rows.append([p.strip() for p in parts])
    return rows


def parse_osd(field):
    try:
        return {int(x) for x in field.split(",") if x.strip()}
    except ValueError:
        sys.exit(f"bad OSD field: {field!r}")


def run_osdlint(osdlint, files):
    cmd = [osdlint, "check", "--format", "json", "--isolated", "--color", "never", *files]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True)
    except OSError as e:
        sys.stderr.write(f"wordings: cannot run {osdlint}: {e}\n")
        sys.exit(2)
    if proc.returncode not in (0, 1):
        sys.stderr.write(proc.stderr)
        sys.stderr.write(f"wordings: osdlint failed with exit status {proc.returncode}"
                         " (a pattern file may be mid-edit; retry)\n")
        sys.exit(2)
    try:
        doc = json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        sys.stderr.write(proc.stderr)
        sys.stderr.write(f"wordings: cannot parse osdlint JSON output: {e}\n")
        sys.exit(2)
    by_path = {}
    for entry in doc.get("files", []):
        by_path[entry["path"]] = entry.get("diagnostics", [])
    missing = [p for p in files if p not in by_path]
    if missing:
        sys.stderr.write(f"wordings: osdlint reported nothing for {len(missing)} file(s), e.g. {missing[0]}\n")
        sys.exit(2)
    return by_path


def pct(a, n):
    return 100.0 * a / n if n else 0.0


def short(diags):
    return ", ".join(f"{d['severity'][0].upper()}:{d['rule']}{d.get('osd', [])}" for d in diags)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("osdlint", help="osdlint binary or scripts/osdlint-dev")
    ap.add_argument("--restrictive", default=os.path.join(DATA, "restrictive.tsv"))
    ap.add_argument("--permissive", default=os.path.join(DATA, "permissive.tsv"))
    ap.add_argument("--min-recall", type=float, default=None,
                    help="exit 1 if the flagged share of restrictive lines is below R (0-1, or a percentage)")
    ap.add_argument("--max-fp", type=int, default=None,
                    help="exit 1 if more than N permissive lines get an error")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="also list flagged lines whose rule names the wrong criterion")
    ap.add_argument("--counts-only", action="store_true",
                    help="print the per-family counts and the summary line, not the sentences"
                         " (for a held-out set: a log that lists its misses invites tuning to them)")
    args = ap.parse_args()

    restrictive = [(parse_osd(o), fam, s) for o, fam, s in read_tsv(args.restrictive, 3)]
    permissive = [(trap, s) for trap, s in read_tsv(args.permissive, 2)]

    with tempfile.TemporaryDirectory(prefix="osdlint-wordings-") as tmp:
        rfiles, pfiles = [], []
        for i, (_, _, s) in enumerate(restrictive):
            p = os.path.join(tmp, f"r{i:04d}.txt")
            with open(p, "w", encoding="utf-8") as f:
                f.write(s + "\n")
            rfiles.append(p)
        for i, (_, s) in enumerate(permissive):
            p = os.path.join(tmp, f"p{i:04d}.txt")
            with open(p, "w", encoding="utf-8") as f:
                f.write(s + "\n")
            pfiles.append(p)
        results = run_osdlint(args.osdlint, rfiles + pfiles)

    # restrictive
    fams = OrderedDict()
    missed, wrong = [], []
    flagged = right = 0
    for (osd, fam, s), p in zip(restrictive, rfiles):
        diags = [d for d in results[p] if d.get("severity") in ("error", "warning")]
        st = fams.setdefault(fam, {"n": 0, "flag": 0, "err": 0, "right": 0})
        st["n"] += 1
        if not diags:
            missed.append((fam, sorted(osd), s))
            continue
        flagged += 1
        st["flag"] += 1
        if any(d["severity"] == "error" for d in diags):
            st["err"] += 1
        if any(osd & set(d.get("osd", [])) for d in diags):
            right += 1
            st["right"] += 1
        else:
            wrong.append((fam, sorted(osd), s, short(diags)))

    print("== restrictive recall per family (flagged = error or warning) ==")
    print(f"{'family':<20} {'n':>3} {'flag':>4} {'err':>4} {'right':>5}  recall")
    for fam, st in fams.items():
        print(f"{fam:<20} {st['n']:>3} {st['flag']:>4} {st['err']:>4} {st['right']:>5}  {pct(st['flag'], st['n']):5.1f}%")

    print(f"\n== missed restrictive lines ({len(missed)}) ==")
    for fam, osd, s in [] if args.counts_only else missed:
        print(f"  [{fam} osd{','.join(map(str, osd))}] {s}")
    if wrong and not args.counts_only:
        print(f"\n== flagged under the wrong criterion ({len(wrong)}) ==")
        for fam, osd, s, d in wrong:
            print(f"  [{fam} osd{','.join(map(str, osd))}] {s}\n      -> {d}")

    # permissive
    fps, warns = [], []
    for (trap, s), p in zip(permissive, pfiles):
        diags = results[p]
        errs = [d for d in diags if d.get("severity") == "error"]
        ws = [d for d in diags if d.get("severity") == "warning"]
        if errs:
            fps.append((trap, s, short(errs + ws)))
        elif ws:
            warns.append((trap, s, short(ws)))
    print(f"\n== permissive lines with an ERROR (false positives: {len(fps)}) ==")
    for trap, s, d in [] if args.counts_only else fps:
        print(f"  [{trap}] {s}\n      -> {d}")
    print(f"\n== permissive lines with only warnings ({len(warns)}) ==")
    for trap, s, d in [] if args.counts_only else warns:
        print(f"  [{trap}] {s}\n      -> {d}")

    n = len(restrictive)
    recall = flagged / n if n else 0.0
    print(f"\nrestrictive: {flagged}/{n} flagged ({pct(flagged, n):.1f}%), right criterion {right}/{flagged}"
          f" | permissive: {len(fps)} errors, {len(warns)} warnings of {len(permissive)}")

    failed = False
    if args.min_recall is not None:
        want = args.min_recall / 100.0 if args.min_recall > 1 else args.min_recall
        if recall < want:
            print(f"wordings: recall {recall:.3f} below --min-recall {want:.3f}", file=sys.stderr)
            failed = True
    if args.max_fp is not None and len(fps) > args.max_fp:
        print(f"wordings: {len(fps)} permissive errors exceed --max-fp {args.max_fp}", file=sys.stderr)
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
