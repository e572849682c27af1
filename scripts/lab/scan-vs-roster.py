#!/usr/bin/python3
"""Compares a scan of the lab campus (assetledger scan --format jsonl) with the roster
(scripts/lab-campus.tsv): every device found, with the expected class and fax capability, and
the vendor and model wherever the roster names them (the device tells them). Prints one line
per device and exits 1 on any mismatch.

    scan-vs-roster.py [--class-only] ROSTER SCAN.jsonl

--class-only checks class and fax capability only (a scan without MACs cannot name the makers
that only the MAC registry knows).

A roster vendor is what the lab device says (ippeveprinter's make): it is compared through the
manufacturer dictionary (scanners/manufacturers.tsv, the one the scanner names makers by), so
the roster's Lanier is the scan's Ricoh. No two spellings of one maker may remain in the scan.
"""
import json
import os
import re
import sys
import unicodedata

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


def fold(s):
    s = unicodedata.normalize("NFKC", s or "").lower().replace("'", "").replace("\u2019", "")
    return " ".join(re.sub(r"[^\w]|_", " ", s).split())


# The dictionary's aliases (the maker and its Chinese name are aliases too), longest first.
aliases = []
dictionary = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../scanners/manufacturers.tsv")
with open(dictionary, encoding="utf-8") as f:
    for line in f:
        if line.startswith("#") or line.startswith("maker\t") or not line.strip():
            continue
        cols = line.rstrip("\n").split("\t")
        for alias in [cols[0], cols[1]] + cols[4].split("|"):
            alias = alias.strip()
            if alias:
                aliases.append((fold(alias.lstrip("!")), None if alias.startswith("!") else cols[0]))
aliases.sort(key=lambda a: -len(a[0]))


def canonical(raw):
    text = fold(raw)
    for alias, maker in aliases:
        if alias and (text == alias or text.startswith(alias + " ")):
            return maker
    return raw


bad = 0
spellings = {}
for h in found.values():
    if h.get("vendor"):
        spellings.setdefault(canonical(h["vendor"]), set()).add(h["vendor"])
for maker, names in sorted(spellings.items(), key=lambda kv: str(kv[0])):
    if len(names) > 1:
        print(f"BAD  two spellings of {maker}: {sorted(names)}")
        bad += 1
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
    want = canonical(r.get("vendor"))
    if not class_only and want and (not h.get("vendor") or (norm(want) not in norm(h["vendor"]) and norm(h["vendor"]) not in norm(want))):
        problems.append(f"vendor {h.get('vendor')!r} != {want!r} ({r['vendor']!r})")
    if not class_only and r.get("model") and (not h.get("model") or (norm(r["model"]) not in norm(h["model"]) and norm(h["model"]) not in norm(r["model"]))):
        problems.append(f"model {h.get('model')!r} != {r['model']!r}")
    status = "ok  " if not problems else "BAD "
    bad += bool(problems)
    print(f"{status}{r['name']:10} {r['ip']:13} {h.get('class') or '-':8} {h.get('vendor') or '-':12} {h.get('model') or '-':24} {'; '.join(problems)}")
print(f"{len(rows) - bad} of {len(rows)} devices as expected")
sys.exit(1 if bad else 0)
