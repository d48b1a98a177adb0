#!/usr/bin/env python3
"""Print, as a Markdown table, how the rules do on every set of wordings in
tests/data/wordings: restrictive lines flagged, of those the ones under the right
criterion, and errors and warnings on the permissive look-alikes, with a total for the
sets that were tuned on and one for the held-out sets (named held-out*, never tuned on;
only their counts are read, as with `wordings.py --counts-only`), with which a set of
permissive look-alikes only (an empty restrictive file) is counted unless its header
says it was tuned on.

    python3 scripts/wording-table.py [OSDLINT]     (default target/release/osdlint)
"""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIR = ROOT / "tests/data/wordings"
SUMMARY = re.compile(
    r"restrictive: (\d+)/(\d+) flagged \([\d.]+%\), right criterion (\d+)/\d+ \| "
    r"permissive: (\d+) errors?, (\d+) warnings? of (\d+)"
)


def measure(binary, restrictive, permissive):
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts/wordings.py"), binary, "--counts-only",
         "--restrictive", str(restrictive), "--permissive", str(permissive)],
        capture_output=True, text=True,
    ).stdout
    for line in out.splitlines():
        m = SUMMARY.match(line)
        if m:
            return [int(g) for g in m.groups()]
    sys.exit(f"wording-table.py: no summary line from wordings.py for {restrictive.name}")


def held_out_order(name):
    # held-out, held-out-2, ..., held-out-14
    tail = name[len("held-out"):].lstrip("-")
    return int(tail) if tail else 1


def row(name, tuned, c):
    flagged, total, right, errors, warnings, permissive = c
    if not total:
        # a set of permissive look-alikes only
        return f"| {name} | {tuned} | (none) | | {errors}, {warnings} of {permissive} |"
    share = 100.0 * flagged / total
    return f"| {name} | {tuned} | {flagged} of {total} ({share:.1f}%) | {right} of {flagged} | {errors}, {warnings} of {permissive} |"


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "target/release/osdlint")
    if not Path(binary).exists():
        sys.exit(f"wording-table.py: no binary at {binary} (cargo build --release)")
    names = sorted(p.name[: -len("-restrictive.tsv")] for p in DIR.glob("*-restrictive.tsv"))
    # A set of permissive look-alikes only (no restrictive line) that was measured, never
    # tuned on, goes with the held-out sets.
    traps_only = [n for n in names if not any(
        l.strip() and not l.startswith("#") for l in (DIR / f"{n}-restrictive.tsv").read_text().splitlines())]
    # (unless its permissive file's header says it was tuned on)
    traps_tuned = [n for n in traps_only
                   if re.search(r"(?<!never )tuned on", (DIR / f"{n}-permissive.tsv").read_text().split("\n", 1)[0])]
    tuned = [n for n in names if not n.startswith("held-out") and (n not in traps_only or n in traps_tuned)]
    held = sorted((n for n in names if n.startswith("held-out")), key=held_out_order) + [n for n in traps_only if n not in traps_tuned]
    print("| set | tuned on | restrictive lines flagged | under the right criterion | permissive lines: errors, warnings |")
    print("| --- | --- | --- | --- | --- |")
    for label, group, sets in (("yes", "tuned sets", [("own", "restrictive", "permissive")] + [(n, f"{n}-restrictive", f"{n}-permissive") for n in tuned]),
                               ("no", "held-out sets", [(n, f"{n}-restrictive", f"{n}-permissive") for n in held])):
        total = [0] * 6
        for name, r, p in sets:
            c = measure(binary, DIR / f"{r}.tsv", DIR / f"{p}.tsv")
            total = [a + b for a, b in zip(total, c)]
            print(row(f"`{name}`", label, c))
        print(row(f"**all {len(sets)} {group}**", label, total))


if __name__ == "__main__":
    main()
