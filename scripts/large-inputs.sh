#!/usr/bin/env bash
# Large and many inputs, for issue 4 (run by .ci/run): a license-like file of SIZE MB
# made of restrictive and clean paragraphs (no sentence repeats), a single line of LINE MB, and a tree of
# FILES license files in nested folders linted twice with 1 and 2 threads, which must
# give identical output. Prints time and peak memory for each.
#   scripts/large-inputs.sh [SIZE_MB=200] [LINE_MB=50] [FILES=20000]
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-200}; line=${2:-50}; files=${3:-20000}
bin=${OSDLINT:-target/release/osdlint}
[ -x "$bin" ] || cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 scripts/license-like.py "$size" "$work/LICENSE-big"
python3 - "$work" "$size" "$line" "$files" <<'PY'
import os, sys
work, size, line, files = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
para = ("Permission is granted to use, copy and share this work, provided this notice is kept.\n\n"
        "The work must not be used for any military purpose or by any armed force.\n\n"
        "THE WORK IS PROVIDED AS IS, WITHOUT WARRANTY OF ANY KIND.\n\n")
with open(os.path.join(work, "LICENSE-line"), "w") as f:
    chunk = "free to use and share; " * 1000
    for _ in range(line * 1024 * 1024 // len(chunk)):
        f.write(chunk)
    f.write("but it must not be used for any military purpose.")
tree = os.path.join(work, "tree")
for i in range(files):
    d = os.path.join(tree, f"v{i % 50:02d}", f"p{i % 7}", f"pkg{i}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "LICENSE"), "w") as f:
        f.write(para if i % 5 == 0 else "Permission is granted to use this work for any purpose.\n")
PY

measure() { # label, then the command
  local label=$1; shift
  /usr/bin/time -f "$label: %e s wall, %M KB peak" "$@" >"$work/out" 2>"$work/time" || true
  tail -1 "$work/time"
}
measure "${size} MB file" "$bin" check --format json "$work/LICENSE-big"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print('  findings:', d['summary'])" "$work/out"
measure "${line} MB single line" "$bin" check --format json "$work/LICENSE-line"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print('  findings:', d['summary'])" "$work/out"
measure "${files} files, 2 threads" "$bin" check --format json -j 2 "$work/tree"
cp "$work/out" "$work/tree-j2.json"
measure "${files} files, 1 thread" "$bin" check --format json -j 1 "$work/tree"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print('  files linted:', d['summary']['files'])" "$work/out"
if cmp -s "$work/out" "$work/tree-j2.json"; then
  echo "  identical output with 1 and 2 threads"
else
  echo "FAIL: output differs between 1 and 2 threads" >&2
  exit 1
fi
n=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['summary']['files'])" "$work/out")
[ "$n" -eq "$files" ] || { echo "FAIL: linted $n of $files files" >&2; exit 1; }
