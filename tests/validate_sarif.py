#!/usr/bin/env python3
"""Validate SARIF logs against the official SARIF 2.1.0 JSON schema (OASIS).

Usage: validate_sarif.py SCHEMA LOG...   (exit 1 on the first invalid log)
"""
import json, sys

import jsonschema

schema = json.load(open(sys.argv[1], encoding="utf-8"))
validator = jsonschema.Draft7Validator(schema)
bad = 0
for path in sys.argv[2:]:
    log = json.load(open(path, encoding="utf-8"))
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    for e in errors[:5]:
        print(f"{path}: {'/'.join(map(str, e.path))}: {e.message}")
    if errors:
        bad += 1
    elif not log["runs"][0].get("results"):
        print(f"{path}: valid but has no results, so proves little")
        bad += 1
    else:
        print(f"{path}: valid SARIF 2.1.0 ({len(log['runs'][0]['results'])} results)")
sys.exit(1 if bad else 0)
