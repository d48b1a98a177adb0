#!/usr/bin/env bash
# Regenerates the rule table in README.md from the embedded rules
# (tests/readme.rs fails when it is stale).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
table=$(target/release/osdlint rules --format json | python3 -c '
import json, sys
# The project rules (project/...) have their own table in "Project report".
every = json.load(sys.stdin)
rules = [r for r in every if not r["id"].startswith("project/")]
print("| rule | OSD | severity | finds |")
print("| --- | --- | --- | --- |")
for r in rules:
    osd = ",".join(map(str, r["osd"]))
    print("| `%s` | %s | %s | %s |" % (r["id"], osd, r["severity"], r["message"]))
print()
print(f"{len(rules)} license rules (`osdlint rules` also lists the {len(every) - len(rules)} project rules, {len(every)} in all). `osdlint explain ID` prints what a rule finds, why it conflicts with the OSD and how to fix it.")
')
python3 - "$table" <<'PY'
import re, sys
text = open("README.md", encoding="utf-8").read()
block = "<!-- rules:start -->\n" + sys.argv[1] + "\n<!-- rules:end -->"
if "<!-- rules:start -->" in text:
    text = re.sub(r"<!-- rules:start -->.*?<!-- rules:end -->", lambda m: block, text, flags=re.S)
else:
    text = text.replace("RULE_LIST", block)
open("README.md", "w", encoding="utf-8").write(text)
PY
