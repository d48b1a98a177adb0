#!/bin/sh
# Seed the fuzz corpora (fuzz/corpus/<target>/, not committed) from the repository's
# fixtures and pattern files. Safe to rerun: it only adds files.
set -eu
cd "$(dirname "$0")"
root=..
mkdir -p corpus/lint_bytes corpus/render_all corpus/load_patterns corpus/project_files

# License texts: every fixture, and the wordings the rules are tuned on.
for f in $(find "$root/fixtures" -type f | sort) "$root"/tests/data/wordings/*.tsv; do
    name=$(echo "$f" | sed "s|^$root/||; s|/|_|g")
    cp "$f" "corpus/lint_bytes/$name"
    cp "$f" "corpus/render_all/$name"
done

# Pattern files: the embedded sets, the test set, and the known-bad ones.
for f in "$root"/patterns/*.toml "$root"/tests/data/patterns/*.toml "$root"/tests/data/bad/*; do
    name=$(echo "$f" | sed "s|^$root/||; s|/|_|g")
    cp "$f" "corpus/load_patterns/$name"
done

# Project files: the manifests and READMEs of the project fixtures.
for f in $(find "$root/fixtures/projects" -type f | sort); do
    name=$(echo "$f" | sed "s|^$root/||; s|/|_|g")
    cp "$f" "corpus/project_files/$name"
done

for t in lint_bytes render_all load_patterns project_files; do
    echo "$t: $(ls "corpus/$t" | wc -l) files, $(cat corpus/$t/* | wc -c) bytes"
done
