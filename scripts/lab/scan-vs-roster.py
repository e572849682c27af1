#!/usr/bin/python3
"""Compares a scan of the lab campus (assetledger scan --format jsonl) with the roster
(scripts/lab-campus.tsv): every device found, with the expected class and fax capability, and
the vendor and model wherever the roster names them (the device tells them). Prints one line
per device and exits 1 on any mismatch.

    scan-vs-roster.py [--class-only] ROSTER SCAN.jsonl

--class-only checks class and fax capability only (a scan without MACs cannot name the makers
that only the MAC registry knows).
"""
import json
import sys

args = sys.argv[1:]
class_only = args[:1] == ["--class-only"]
if class_only:
    args = args[1:]
roster_path, scan_path = args[0], args[1]
with open(roster_path, encoding="utf-8") as f:
    lines = [l.rstrip("\n").split("\t") for l in f if l.strip() and not l.startswith("#")]
header, rows = lines[0], [dict(zip(lines[0], r)) for r in lines[1:]]
found = {}
with open(scan_path, encoding="utf-8") as f:
    for line in f:
        if line.strip():
            h = json.loads(line)
            found[h["ip"]] = h


def norm(s):
    return "".join(ch for ch in (s or "").lower() if ch.isalnum())


bad = 0
for r in rows:
    h = found.get(r["ip"])
    if h is None:
        print(f"MISSING {r['name']:10} {r['ip']}")
        bad += 1
        continue
    problems = []
    if h.get("class") != r["class"]:
        problems.append(f"class {h.get('class')} != {r['class']}")
    if r.get("fax_capable") == "yes" and h.get("fax_capable") is not True:
        problems.append("fax capability not found")
    if not class_only and r.get("vendor") and (not h.get("vendor") or (norm(r["vendor"]) not in norm(h["vendor"]) and norm(h["vendor"]) not in norm(r["vendor"]))):
        problems.append(f"vendor {h.get('vendor')!r} != {r['vendor']!r}")
    if not class_only and r.get("model") and (not h.get("model") or (norm(r["model"]) not in norm(h["model"]) and norm(h["model"]) not in norm(r["model"]))):
        problems.append(f"model {h.get('model')!r} != {r['model']!r}")
    status = "ok  " if not problems else "BAD "
    bad += bool(problems)
    print(f"{status}{r['name']:10} {r['ip']:13} {h.get('class') or '-':8} {h.get('vendor') or '-':12} {h.get('model') or '-':24} {'; '.join(problems)}")
print(f"{len(rows) - bad} of {len(rows)} devices as expected")
sys.exit(1 if bad else 0)
