#!/usr/bin/env bash
# Identification that generalizes (issue 14), measured two ways; prints Markdown
# (docs/PERFORMANCE.md keeps the last tables).
#
#   scripts/compare-nmap-snmp.sh rules   no root: for each SNMP rule of scanners/fingerprints.tsv, the
#                                        recordings it fires on (../shared/fixtures/snmprec and Debian
#                                        snmpsim's examples, read in place); a rule that fires on exactly
#                                        one recording because of a string only it has is a smell.
#   scripts/compare-nmap-snmp.sh lab     root: the lab campus scanned by AssetLedger, by nmap's SNMP
#                                        scripts (nmap -sU -p161 --script snmp-sysdescr,snmp-info: the
#                                        fair peer for SNMP-only devices) and by nmap -O -sV, device by
#                                        device against the roster (scripts/lab-campus.tsv): class,
#                                        vendor (compared through scanners/manufacturers.tsv) and model.
#
# Uses the debug binary (swift build), like scripts/lab-test.sh; scans nothing but the lab.
set -euo pipefail
cd "$(dirname "$0")/.."
AL=$PWD/.build/debug/assetledger
[ -x "$AL" ] || { echo "build first: swift build" >&2; exit 1; }
mode=${1:-rules}
tmp=$(mktemp -d)

rules() {
    local shared=../shared/fixtures/snmprec examples=/usr/share/doc/snmpsim/examples/data
    [ -r "$shared/labels.tsv" ] || { echo "cannot read $shared" >&2; exit 1; }
    [ -d "$examples" ] || { echo "cannot read $examples (install snmpsim)" >&2; exit 1; }
    local n=0
    for f in "$shared"/*.snmprec; do
        n=$((n + 1))
        "$AL" fingerprint test "$f" --format json >"$tmp/$n.json"
        echo "shared/$(basename "$f")" >"$tmp/$n.name"
    done
    # snmpsim's real-agent examples (variation/ demonstrates value modules, not devices).
    while IFS= read -r f; do
        n=$((n + 1))
        local plain=$tmp/$n.snmprec
        case $f in *.gz) gunzip -c "$f" >"$plain" ;; *) cp "$f" "$plain" ;; esac
        "$AL" fingerprint test "$plain" --format json >"$tmp/$n.json"
        echo "snmpsim/${f#"$examples"/}" >"$tmp/$n.name"
    done < <(find "$examples" -name '*.snmprec*' -not -path '*/variation/*' | sort)
    /usr/bin/python3 - "$tmp" "$n" scanners/fingerprints.tsv <<'PY'
import json, re, sys
tmp, n, rules_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rules = {}
for i, line in enumerate(open(rules_path, encoding="utf-8"), 1):
    if line.startswith("#") or line.startswith("signal\t") or not line.strip():
        continue
    f = line.rstrip("\n").split("\t")
    if f[0].startswith("snmp."):
        rules[i] = f
fires = {i: [] for i in rules}
classes = {}
for k in range(1, n + 1):
    name = open(f"{tmp}/{k}.name").read().strip()
    out = json.load(open(f"{tmp}/{k}.json"))
    for h in out["hosts"]:
        if not any(s.startswith("snmp.sys") for s in h["signals"]):
            continue  # a fragment without a system group records no device
        classes[name] = h["verdict"]
        for e in h["fired"]:
            m = re.search(r"fingerprints\.tsv:(\d+)\)", e["reason"])
            if m and int(m.group(1)) in fires and name not in fires[int(m.group(1))]:
                fires[int(m.group(1))].append(name)
print(f"{len(classes)} recordings with a system group ({sum(1 for c in classes if c.startswith('shared/'))} shared, "
      f"{sum(1 for c in classes if c.startswith('snmpsim/'))} snmpsim).")
print()
print("| recording | class | kind | vendor | model |")
print("|---|---|---|---|---|")
for name, v in sorted(classes.items()):
    print(f"| {name} | {v['class'] or 'unknown'} | {v['kind'] or ''} | {v['vendor'] or '-'} | {v['model'] or '-'} |")
print()
print("| line | rule (signal match pattern → claims) | fires on | recordings |")
print("|---|---|---|---|")
structural = ("snmp.role", "snmp.layer", "snmp.enterpriseName", "snmp.printerMIB", "snmp.hrDeviceType",
              "snmp.upsIdent", "snmp.entPhysical", "snmp.prtGeneral", "snmp.hrPrinterDescr")
for i, f in rules.items():
    claims = ", ".join(x for x in [f[3], f[5] and "vendor " + f[5], f[6] and "model " + f[6], f[7] and "os " + f[7],
                                   f[8] and "firmware"] if x)
    got = fires[i]
    # One recording, on a product string (not the structure, not a generic word): a smell.
    smell = len(got) == 1 and not f[0].startswith(structural) and not re.search(r"\\b\(", f[2])
    where = ", ".join(g.split("/", 1)[1] for g in got) if len(got) <= 4 else f"{', '.join(g.split('/', 1)[1] for g in got[:4])} …"
    pattern = f[2].replace("|", "\\|")
    print(f"| {i} | `{f[0]} {f[1]} {pattern}` → {claims} | {len(got)}{' ⚠' if smell else ''} | {where} |")
PY
}

lab() {
    [ "$(id -u)" -eq 0 ] || { echo "lab mode needs root (network namespaces, libpcap)" >&2; exit 1; }
    trap 'scripts/lab.sh down; rm -rf "$tmp"' EXIT
    export LAB_RECORDINGS=${LAB_RECORDINGS:-$PWD/../shared/fixtures/snmprec}
    scripts/lab.sh campus >/dev/null
    local t0 t1 t2 t3
    t0=$(date +%s.%N)
    scripts/lab.sh run "$AL" scan 198.18.1.10-198.18.1.31 --interface scan0 --rate 2000 --format jsonl \
        --db "$tmp/c.sqlite" >"$tmp/ours.jsonl"
    t1=$(date +%s.%N)
    scripts/lab.sh run nmap -sU -p161 -n --script snmp-sysdescr,snmp-info -oX "$tmp/snmp.xml" 198.18.1.10-31 >/dev/null
    t2=$(date +%s.%N)
    scripts/lab.sh run nmap -O -sV -T4 -n -oX "$tmp/nmap.xml" 198.18.1.10-31 >/dev/null
    t3=$(date +%s.%N)
    /usr/bin/python3 - scripts/lab-campus.tsv "$tmp/ours.jsonl" "$tmp/snmp.xml" "$tmp/nmap.xml" "$t0" "$t1" "$t2" "$t3" \
        scanners/manufacturers.tsv <<'PY'
import json, re, sys, unicodedata, xml.etree.ElementTree as ET
roster_path, ours_path, snmp_path, nmap_path, t0, t1, t2, t3, dictionary = sys.argv[1:10]
rows = [l.rstrip("\n").split("\t") for l in open(roster_path, encoding="utf-8") if l.strip()]
roster = [dict(zip(rows[0], r)) for r in rows[1:]]
ours = {h["ip"]: h for h in map(json.loads, filter(str.strip, open(ours_path, encoding="utf-8")))}

def fold(s):
    s = unicodedata.normalize("NFKC", s or "").lower().replace("'", "")
    return " ".join(re.sub(r"[^\w]|_", " ", s).split())
aliases = []
for line in open(dictionary, encoding="utf-8"):
    if line.startswith("#") or line.startswith("maker\t") or not line.strip():
        continue
    c = line.rstrip("\n").split("\t")
    for a in [c[0], c[1]] + c[4].split("|"):
        if a.strip():
            aliases.append((fold(a.strip().lstrip("!")), None if a.strip().startswith("!") else c[0]))
aliases.sort(key=lambda a: -len(a[0]))
def maker(raw):
    t = fold(raw)
    for a, m in aliases:
        if a and (t == a or t.startswith(a + " ")):
            return m
    return raw or None
def norm(s): return "".join(c for c in (s or "").lower() if c.isalnum())

snmp = {}
for host in ET.parse(snmp_path).getroot().iter("host"):
    ip = next((a.get("addr") for a in host.iter("address") if a.get("addrtype") == "ipv4"), None)
    out = {s.get("id"): s.get("output") or "" for s in host.iter("script")}
    descr = out.get("snmp-sysdescr", "").strip().split("\n")[0].strip()
    enterprise = re.search(r"enterprise: (.+)", out.get("snmp-info", ""))
    snmp[ip] = dict(descr=descr, enterprise=enterprise.group(1).strip() if enterprise else "")
nmap = {}
for host in ET.parse(nmap_path).getroot().iter("host"):
    ip = next((a.get("addr") for a in host.iter("address") if a.get("addrtype") == "ipv4"), None)
    match = max(host.iter("osmatch"), key=lambda m: int(m.get("accuracy", "0")), default=None)
    osclass = match.find("osclass") if match is not None else None
    services = []
    for p in host.iter("port"):
        st, sv = p.find("state"), p.find("service")
        if st is not None and st.get("state") == "open" and sv is not None:
            services.append(" ".join(x for x in [sv.get("product"), sv.get("version")] if x) or sv.get("name") or "")
    nmap[ip] = dict(os=(match.get("name") + " (" + match.get("accuracy") + "%)") if match is not None else "-",
                    type=osclass.get("type") if osclass is not None else "-",
                    vendor=osclass.get("vendor") if osclass is not None else "",
                    services="; ".join(s for s in services if s)[:50] or "-")
types = {"printer": {"printer", "print server"}, "mfp": {"printer", "print server"}, "fax": set(),
         "display": {"media device"}, "pc": {"general purpose"}, "server": {"general purpose", "storage-misc"},
         "network": {"switch", "router", "wap", "bridge"}, "other": {"power-device", "webcam", "specialized"}}
score = dict(ours=[0, 0, 0], snmp=[0, 0, 0], nmap=[0, 0, 0])
models = sum(1 for r in roster if r["model"])
mark = lambda ok: "✓" if ok else "✗"
print("| device | roster | AssetLedger | nmap SNMP scripts: enterprise; sysDescr | nmap -O -sV: type, OS; services |")
print("|---|---|---|---|---|")
snmp_devices = [r for r in roster if r["snmprec"] != "-"]
for r in roster:
    o = ours.get(r["ip"], {})
    s = snmp.get(r["ip"], dict(descr="", enterprise=""))
    n = nmap.get(r["ip"], dict(os="-", type="-", vendor="", services="-"))
    want = maker(r["vendor"])
    ok = dict(
        ours=(o.get("class") == r["class"], maker(o.get("vendor")) == want,
              bool(r["model"]) and bool(o.get("model")) and (norm(r["model"]) in norm(o["model"]) or norm(o["model"]) in norm(r["model"]))),
        snmp=(False, bool(s["enterprise"] or s["descr"]) and want is not None and norm(want) in norm(maker(s["enterprise"]) or "") + norm(s["descr"]),
              bool(r["model"]) and norm(r["model"]) in norm(s["descr"])),
        nmap=(n["type"] in types.get(r["class"], set()), want is not None and norm(want) in norm(maker(n["vendor"]) or "") + norm(n["os"] + n["services"]),
              bool(r["model"]) and norm(r["model"]) in norm(n["os"] + n["services"])))
    for tool, (c, v, m) in ok.items():
        score[tool][0] += c
        score[tool][1] += v
        score[tool][2] += m
    print(f"| {r['name']} | {r['class']}, {r['vendor']} {r['model']} "
          f"| {mark(ok['ours'][0])} {o.get('class') or '-'}, {mark(ok['ours'][1])} {o.get('vendor') or '-'}, {mark(ok['ours'][2]) if r['model'] else ''} {o.get('model') or ''} "
          f"| {mark(ok['snmp'][1])} {s['enterprise'] or '-'}; {s['descr'][:50] or '-'} "
          f"| {mark(ok['nmap'][0])} {n['type']}, {n['os']}; {n['services']} |")
print()
print(f"{len(roster)} devices ({len(snmp_devices)} answer SNMP), {models} with a model.")
print()
print("| tool | class right | maker named | model named | time |")
print("|---|---|---|---|---|")
print(f"| AssetLedger scan | {score['ours'][0]}/{len(roster)} | {score['ours'][1]}/{len(roster)} | {score['ours'][2]}/{models} | {float(t1) - float(t0):.1f} s |")
print(f"| nmap -sU -p161 --script snmp-sysdescr,snmp-info | (states no class) | {score['snmp'][1]}/{len(roster)} | {score['snmp'][2]}/{models} | {float(t2) - float(t1):.1f} s |")
print(f"| nmap -O -sV | {score['nmap'][0]}/{len(roster)} | {score['nmap'][1]}/{len(roster)} | {score['nmap'][2]}/{models} | {float(t3) - float(t2):.1f} s |")
PY
}

case $mode in
rules) rules; rm -rf "$tmp" ;;
lab) lab ;;
*) echo "usage: $0 rules|lab" >&2; exit 2 ;;
esac
