#!/usr/bin/env bash
# Identification compared: AssetLedger's scan against `nmap -O -sV` on the lab campus, device by
# device, next to what the roster (scripts/lab-campus.tsv) says each device is. Prints a
# Markdown table (docs/PERFORMANCE.md keeps the last one) and the count each tool got right.
# Needs root.   scripts/compare-nmap-id.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lab-bench-setup.sh
# The real recordings of the shared corpus, as the lab test serves them (a benchmark may read ../shared).
export LAB_RECORDINGS=${LAB_RECORDINGS:-$PWD/../shared/fixtures/snmprec}
scripts/lab.sh campus >/dev/null
scope=198.18.1.10-198.18.1.31
t0=$(date +%s.%N)
scripts/lab.sh run "$AL" scan "$scope" --interface scan0 --rate 2000 --format jsonl --db "$tmp/c.sqlite" >"$tmp/ours.jsonl"
t1=$(date +%s.%N)
scripts/lab.sh run nmap -O -sV -T4 -n -oX "$tmp/nmap.xml" 198.18.1.10-31 >/dev/null
t2=$(date +%s.%N)
/usr/bin/python3 - scripts/lab-campus.tsv "$tmp/ours.jsonl" "$tmp/nmap.xml" "$t0" "$t1" "$t2" <<'PY'
import json, sys, xml.etree.ElementTree as ET
roster_path, ours_path, nmap_path, t0, t1, t2 = sys.argv[1:7]
rows = [l.rstrip("\n").split("\t") for l in open(roster_path, encoding="utf-8") if l.strip()]
roster = [dict(zip(rows[0], r)) for r in rows[1:]]
ours = {h["ip"]: h for h in map(json.loads, filter(str.strip, open(ours_path, encoding="utf-8")))}
nmap = {}
for host in ET.parse(nmap_path).getroot().iter("host"):
    ip = next((a.get("addr") for a in host.iter("address") if a.get("addrtype") == "ipv4"), None)
    match = max(host.iter("osmatch"), key=lambda m: int(m.get("accuracy", "0")), default=None)
    osclass = match.find("osclass") if match is not None else None
    services = []
    for p in host.iter("port"):
        st = p.find("state")
        sv = p.find("service")
        if st is not None and st.get("state") == "open" and sv is not None:
            services.append(" ".join(x for x in [sv.get("product"), sv.get("version")] if x) or sv.get("name") or "")
    nmap[ip] = dict(
        os=(match.get("name") + " (" + match.get("accuracy") + "%)") if match is not None else "-",
        type=osclass.get("type") if osclass is not None else "-",
        vendor=osclass.get("vendor") if osclass is not None else "-",
        services="; ".join(s for s in services if s)[:60] or "-")
# nmap's device types in our classes (what nmap could possibly say for each of ours).
types = {"printer": {"printer", "print server"}, "mfp": {"printer", "print server"}, "fax": set(),
         "display": {"media device"}, "pc": {"general purpose"}, "server": {"general purpose", "storage-misc"},
         "network": {"switch", "router", "wap", "bridge"}, "other": {"power-device", "webcam", "specialized"}}
def norm(s): return "".join(c for c in (s or "").lower() if c.isalnum())
right_ours = right_nmap = named_ours = named_nmap = 0
print("| device | roster: class, vendor model | AssetLedger | nmap -O -sV: device type, OS guess; services |")
print("|---|---|---|---|")
for r in roster:
    o = ours.get(r["ip"], {})
    n = nmap.get(r["ip"], dict(os="-", type="-", vendor="-", services="-"))
    ok_o = o.get("class") == r["class"]
    ok_n = n["type"] in types.get(r["class"], set())
    right_ours += ok_o
    right_nmap += ok_n
    if r["model"]:
        named_ours += norm(r["model"]) in norm(o.get("model")) or (bool(o.get("model")) and norm(o.get("model")) in norm(r["model"]))
        named_nmap += norm(r["model"]) in norm(n["os"] + n["services"])
    mark = lambda ok: "✓" if ok else "✗"
    print(f"| {r['name']} | {r['class']}, {r['vendor']} {r['model']} | {mark(ok_o)} {o.get('class') or '-'}, {o.get('vendor') or '-'} {o.get('model') or ''} | {mark(ok_n)} {n['type']}, {n['os']}; {n['services']} |")
models = sum(1 for r in roster if r["model"])
print()
print(f"class right: AssetLedger {right_ours}/{len(roster)}, nmap {right_nmap}/{len(roster)}; "
      f"model named: AssetLedger {named_ours}/{models}, nmap {named_nmap}/{models}; "
      f"time: AssetLedger {float(t1) - float(t0):.1f} s, nmap -O -sV {float(t2) - float(t1):.1f} s")
PY
