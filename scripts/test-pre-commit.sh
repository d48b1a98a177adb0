#!/usr/bin/env bash
# Proves the pre-commit hook for real: `pre-commit try-repo` builds osdlint from this
# repository and runs it in a scratch git repository, once with a restrictive LICENSE
# (the hook must fail and show the diagnostic) and once with a clean one (it must pass).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v pre-commit >/dev/null 2>&1; then
  python3 -m pip install --quiet --disable-pip-version-check pre-commit
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
git init -q .
git config user.email ci@example.invalid
git config user.name ci
cat > LICENSE <<'TXT'
Permission is granted to use, copy and share this software, provided that
it is never used by or for any military organisation or in weapons.
TXT
echo "readme" > README.md
git add -A
set +e
pre-commit try-repo "$repo" osdlint --all-files >"$work/out" 2>&1
status=$?
set -e
cat "$work/out"
if [ $status -eq 0 ]; then echo "FAIL: the hook passed a restrictive LICENSE" >&2; exit 1; fi
grep -q 'osd6/' "$work/out" || { echo "FAIL: the hook output lacks the diagnostic" >&2; exit 1; }
cp "$repo/LICENSE-MIT" LICENSE
git add -A
pre-commit try-repo "$repo" osdlint --all-files
echo "pre-commit hook: fails on a restrictive LICENSE, passes on a clean one"
