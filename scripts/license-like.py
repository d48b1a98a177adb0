#!/usr/bin/env python3
"""Write a license-like file of SIZE MiB to PATH, for benchmarks of large inputs
(scripts/large-inputs.sh, bench/instructions.sh):

    python3 scripts/license-like.py SIZE_MB PATH

Mostly permissive text with a restrictive paragraph every few hundred, like a large
vendored bundle of license texts (a finding every line would measure the output).
Every sentence is numbered, so none repeats: osdlint confirms a repeated sentence only
once, and this file measures the engine, not that memo. The same size gives the same
bytes."""
import sys


def main():
    size, path = int(sys.argv[1]), sys.argv[2]
    with open(path, "w") as f:
        written, n = 0, 0
        while written < size * 1024 * 1024:
            n += 1
            text = (f"Permission is granted to use, copy, modify and share part {n} of this work for "
                    f"any purpose, provided this notice is kept in all copies.\n\n")
            if n % 300 == 0:
                text += (f"Section {n}: the work must not be used for any military purpose or by any "
                         f"armed force.\n\nTHE WORK IS PROVIDED AS IS, WITHOUT WARRANTY OF ANY KIND "
                         f"(section {n}).\n\n")
            f.write(text)
            written += len(text)


if __name__ == "__main__":
    main()
