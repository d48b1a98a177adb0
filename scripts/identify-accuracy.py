#!/usr/bin/env python3
"""Identification accuracy on the OSI-approved texts of the corpus (../shared/corpus).

Runs `osdlint check --format json` once over every text that index.tsv marks OSI-approved
and compares `license.spdx` with the text's SPDX id. Prints top-1 accuracy, strict and
with ids of the same license text counted alike (GPL-2.0-only and GPL-2.0-or-later share
one text; so do OFL-1.1 and its -RFN variants), and the misses. Texts are read in place,
never copied.

    python3 scripts/identify-accuracy.py target/release/osdlint [--corpus ../shared/corpus]
"""
import argparse
import csv
import json
import os
import re
import subprocess
import sys


def family(spdx):
    """Ids that name the same license text."""
    if spdx is None:
        return None
    s = re.sub(r"-(only|or-later)$", "", spdx)
    s = re.sub(r"\+$", "", s)
    s = re.sub(r"-(no-)?RFN$", "", s)
    s = re.sub(r"-no-copyleft-exception$", "", s)
    return s


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("osdlint")
    ap.add_argument("--corpus", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "corpus"))
    args = ap.parse_args()
    expected = {}
    with open(os.path.join(args.corpus, "index.tsv"), newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["osi_approved"] == "1":
                expected[os.path.join(args.corpus, "texts", row["key"] + ".txt")] = row["spdx_id"]
    paths = sorted(p for p in expected if os.path.exists(p))
    out = subprocess.run([args.osdlint, "--isolated", "check", "--format", "json", *paths], capture_output=True, text=True)
    doc = json.loads(out.stdout)
    got = {f["path"]: (f.get("license") or {}).get("spdx") for f in doc["files"]}
    strict = same_text = 0
    misses = []
    for p in paths:
        g, e = got.get(p), expected[p]
        if g == e:
            strict += 1
        if family(g) == family(e):
            same_text += 1
        else:
            misses.append((os.path.basename(p), e, g))
    n = len(paths)
    for name, e, g in misses:
        print(f"miss: {name}: expected {e}, got {g or 'none'}")
    print(f"OSI-approved texts: {n} | top-1 exact id: {strict}/{n} ({100 * strict / n:.1f}%) | same license text: {same_text}/{n} ({100 * same_text / n:.1f}%)")


if __name__ == "__main__":
    sys.exit(main())
