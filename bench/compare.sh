#!/usr/bin/env bash
# Times osdlint against ripgrep, side by side in one hyperfine run:
#   - osdlint over the whole corpus (embedded pattern sets; PATTERNS=DIR loads a
#     directory instead, as --patterns does)
#   - rg counting a literal that never matches: the cost of reading the files (floor)
#   - rg counting the restrictive phrases of ../shared/bench, case-insensitively
#   - osdlint check LICENSE-APACHE and LICENSE-MIT (embedded patterns)
#   - askalono (`crawl` over the corpus, `id` of LICENSE-APACHE) and ScanCode Toolkit
#     (`scancode --license -n 2`), each only where installed
# then prints each median and its ratio to the reading floor and to the phrase search,
# and each command's peak memory (/usr/bin/time, best of three).
#
#   bench/compare.sh [RUNS]        (default 10 runs, 3 warmups; needs hyperfine, rg)
# Environment: OSDLINT (binary, default target/release/osdlint, built if missing),
# CORPUS (default ../shared/corpus/texts), PHRASES, PATTERNS (default: the embedded sets),
# ASKALONO (default: askalono on PATH; `cargo install askalono-cli`), SCANCODE (default:
# scancode on PATH; `pip install scancode-toolkit`).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
runs=${1:-10}
corpus=${CORPUS:-../shared/corpus/texts}
phrases=${PHRASES:-../shared/bench/restrictive-phrases.txt}
patterns=${PATTERNS:-}
bin=${OSDLINT:-target/release/osdlint}
for tool in hyperfine rg python3; do
  command -v "$tool" >/dev/null || { echo "compare.sh: $tool is not installed" >&2; exit 2; }
done
[ -d "$corpus" ] || { echo "compare.sh: no corpus at $corpus" >&2; exit 2; }
[ -x "$bin" ] || cargo build --release --quiet

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
list=$work/corpus.list
find "$corpus" -maxdepth 1 -name '*.txt' | sort >"$list"
never='zq9xv-never-occurs-7kqz'

# name|command (osdlint exits 1 when it finds errors: hyperfine -i ignores that)
rules=()
[ -n "$patterns" ] && rules=(--no-default-patterns --patterns "$patterns")
cmds=(
  "osdlint corpus|$bin ${rules[*]} check --format json --files-from $list"
  "rg never-matching literal|rg -c $never $corpus"
  "rg restrictive phrases|rg -c -i -f $phrases $corpus"
  "osdlint LICENSE-APACHE|$bin check LICENSE-APACHE"
  "osdlint LICENSE-MIT|$bin check LICENSE-MIT"
)
askalono=${ASKALONO:-$(command -v askalono || true)}
if [ -n "$askalono" ] && [ -x "$askalono" ]; then
  cmds+=("askalono crawl corpus|$askalono crawl $corpus" "askalono id LICENSE-APACHE|$askalono id LICENSE-APACHE")
fi
scancode=${SCANCODE:-$(command -v scancode || true)}
if [ -n "$scancode" ] && [ -x "$scancode" ]; then
  cmds+=("scancode corpus|$scancode --license -n 2 --json $work/scancode.json $corpus")
fi
# hyperfine sends each command's output to /dev/null itself; with -N (no shell) a
# redirection would only become one more argument.
args=()
for c in "${cmds[@]}"; do
  args+=(-n "${c%%|*}" "${c#*|}")
done
echo "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $(wc -l <"$list") texts, $(du -sh "$corpus" | cut -f1)"
hyperfine -N -i --warmup 3 --runs "$runs" --style basic --export-json "$work/h.json" "${args[@]}" >"$work/hyperfine.log" 2>&1 \
  || { cat "$work/hyperfine.log" >&2; exit 1; }

# Peak resident memory of each command, best of three runs.
: >"$work/mem"
for c in "${cmds[@]}"; do
  best=
  for _ in 1 2 3; do
    # osdlint exits 1 when it finds errors; only the figure matters here.
    kb=$( { /usr/bin/time -f '%M' sh -c "${c#*|} >/dev/null 2>&1" || true; } 2>&1 | tail -1)
    if [ -z "$best" ] || [ "$kb" -lt "$best" ]; then best=$kb; fi
  done
  printf '%s\t%s\n' "${c%%|*}" "$best" >>"$work/mem"
done

python3 - "$work/h.json" "$work/mem" <<'EOF'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
mem = dict(line.rstrip("\n").split("\t") for line in open(sys.argv[2]))
med = {r["command"]: r["median"] for r in res}
floor = med["rg never-matching literal"]
phr = med["rg restrictive phrases"]
print(f"{'command':28} {'median':>10} {'min':>10} {'max':>10} {'x rg-read':>10} {'x rg-phrases':>12} {'peak RSS':>10}")
for r in res:
    m = r["median"]
    print(f"{r['command']:28} {m*1000:8.1f}ms {r['min']*1000:8.1f}ms {r['max']*1000:8.1f}ms "
          f"{m/floor:10.1f} {m/phr:12.1f} {int(mem[r['command']])/1024:8.1f}MB")
EOF
