#!/usr/bin/env bash
# Seed corpora for the Ingest fuzz targets (Fuzz/csv, observations, inventory, collector,
# nmapxml, tables): copies the matching real files from ../shared/fixtures/agents,
# fixtures/sample and scanners/ into .build/fuzz/<name>-corpus/.
# `scripts/fuzz-seeds.sh [NAME...]` (default: all); scripts/fuzz.sh can call it before running
# a target. Existing corpus files are kept.
set -euo pipefail
cd "$(dirname "$0")/.."
agents=../shared/fixtures/agents
out=.build/fuzz
[ -d "$agents" ] || { echo "fuzz-seeds: $agents is missing" >&2; exit 1; }
seed() {  # seed NAME FILE...: each file under a name that keeps its origin
    local name=$1; shift
    mkdir -p "$out/$name-corpus"
    for f in "$@"; do cp "$f" "$out/$name-corpus/seed-$(echo "$f" | tr '/.' '__')"; done
}
nmap_sample() {
    mkdir -p "$out/nmapxml-corpus"
    cat >"$out/nmapxml-corpus/seed-nmap-sample.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE nmaprun>
<nmaprun scanner="nmap" args="nmap -O -sV -oX - 198.18.10.0/24" start="1790000000" version="7.93">
<host starttime="1790000001" endtime="1790000042"><status state="up" reason="arp-response"/>
<address addr="198.18.10.21" addrtype="ipv4"/><address addr="3C:D9:2B:11:22:33" addrtype="mac" vendor="Hewlett Packard"/>
<hostnames><hostname name="npi112233.campus.example" type="PTR"/></hostnames>
<ports><port protocol="tcp" portid="9100"><state state="open" reason="syn-ack"/><service name="jetdirect"/></port></ports>
<os><osmatch name="HP LaserJet Pro M404 printer" accuracy="96"><osclass type="printer" vendor="HP" accuracy="96"/></osmatch></os>
</host>
<host><status state="down" reason="no-response"/><address addr="198.18.10.22" addrtype="ipv4"/></host>
<runstats><finished time="1790000060" elapsed="60"/></runstats>
</nmaprun>
XML
}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(csv observations inventory collector nmapxml tables)
for t in "${targets[@]}"; do
    case "$t" in
        csv) seed csv fixtures/sample/*.csv ;;
        observations) seed observations fixtures/sample/observations.jsonl ;;
        inventory)
            seed inventory $(find "$agents" -type f ! -name README.md | sort) fixtures/sample/observations.jsonl
            nmap_sample && cp "$out/nmapxml-corpus/seed-nmap-sample.xml" "$out/inventory-corpus/" ;;
        collector) seed collector $(find "$agents/glpi-agent-raw" -type f | sort) ;;
        nmapxml) nmap_sample ;;
        tables) seed tables scanners/software-catalog.tsv scanners/os-lifecycle.tsv scanners/posture.conf ;;
        *) echo "fuzz-seeds: no seeds for '$t'" >&2; exit 1 ;;
    esac
    echo "$t: $(ls "$out/$t-corpus" | wc -l) file(s) in $out/$t-corpus"
done
