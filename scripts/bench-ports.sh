#!/usr/bin/env bash
# Port scan benchmark: discovery plus the default ports over a /20, AssetLedger's `scan`
# (ARP sweep + stateless SYN through libpcap) against `nmap -sS -T4 --max-retries 1` on the
# same ports and the same lab, printing time, open ports found, peak memory and the ratio.
# Needs root.
#   scripts/bench-ports.sh [HOSTS=4080] [SCOPE=198.18.16.0/20] [RATE=20000] [RUNS=1]
# The lab: `scripts/lab.sh many HOSTS` (every address holds TCP 9100 and 80 open); with the
# default 4080, the first 4000 addresses fall inside the /20 (198.18.16.1 ... 198.18.31.250).
set -euo pipefail
cd "$(dirname "$0")/.."
hosts=${1:-4080}
scope=${2:-198.18.16.0/20}
rate=${3:-20000}
runs=${RUNS:-1}
source scripts/lab-bench-setup.sh
scripts/lab.sh up 0
scripts/lab.sh many "$hosts"
# The live addresses inside the scope, as `many` lays them out.
live=$(awk -v n="$hosts" 'BEGIN { for (i = 0; i < n; i++) if (16 + int(i / 250) < 32) c++; print c }')
expected=$((live * 2)) # 9100 and 80 on each
ports=$(scripts/lab.sh run "$AL" scan "$scope" --dry-run --db "$tmp/plan.sqlite" | awk '/^ports/ { gsub(/[()]/, "", $3); print $3 }')
now() { date +%s.%N; }
flush() { for ns in $(ip netns list | awk '{print $1}' | grep '^alab-m'); do ip -n "$ns" neigh flush all; done; }

for run in $(seq 1 "$runs"); do
    "$AL" db check --db "$tmp/b$run.sqlite" >/dev/null
    flush
    t0=$(now)
    scripts/lab.sh run /usr/bin/time -f %M -o "$tmp/ours.rss" "$AL" scan "$scope" --interface scan0 --probes ports \
        --rate "$rate" --host-rate 100 --max-in-flight 4096 --retries 1 --settle 0.5 --format xml \
        --db "$tmp/b$run.sqlite" >"$tmp/ours.xml"
    t1=$(now)
    ours_open=$(grep -o '<state state="open"' "$tmp/ours.xml" | wc -l)
    ours_hosts=$(grep -c '<host starttime' "$tmp/ours.xml" || true)

    flush
    t2=$(now)
    scripts/lab.sh run /usr/bin/time -f %M -o "$tmp/peer.rss" nmap -sS -T4 --max-retries 1 -n -p "$ports" \
        -oX "$tmp/peer.xml" "$scope" >/dev/null
    t3=$(now)
    peer_open=$(grep -o '<state state="open"' "$tmp/peer.xml" | wc -l)
    peer_hosts=$(grep -c '<host starttime' "$tmp/peer.xml" || true)

    awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v oo="$ours_open" -v po="$peer_open" -v e="$expected" \
        -v oh="$ours_hosts" -v ph="$peer_hosts" -v l="$live" -v s="$scope" -v r="$rate" -v run="$run" \
        -v np="$(echo "$ports" | tr ',' '\n' | wc -l)" -v om="$(cat "$tmp/ours.rss")" -v pm="$(cat "$tmp/peer.rss")" 'BEGIN {
        ours = b - a; peer = d - c
        printf "run %d: discovery + %d ports over %s, %d live hosts (%d open ports), ours at %d packets/s\n", run, np, s, l, e, r
        printf "  %-34s %8s  %6s  %11s  %s\n", "", "time", "hosts", "open ports", "peak RSS"
        printf "  %-34s %7.2fs  %6d  %5d/%-5d  %5.1f MB\n", "assetledger scan --probes ports", ours, oh, oo, e, om / 1024
        printf "  %-34s %7.2fs  %6d  %5d/%-5d  %5.1f MB\n", "nmap -sS -T4 --max-retries 1", peer, ph, po, e, pm / 1024
        printf "  ratio nmap time / ours: %.1f (target >= 5); open ports ours - nmap: %d (target >= 0)\n", peer / ours, oo - po
    }'
done
