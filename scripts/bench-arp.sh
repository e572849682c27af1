#!/usr/bin/env bash
# ARP sweep benchmark: AssetLedger's `scan` against arp-scan on the same lab, same scope,
# same packet rate and the same tries per silent address (2), printing time, hosts found,
# peak memory and the ratio. Needs root.
#   scripts/bench-arp.sh [HOSTS=4080] [SCOPE=198.18.0.0/16] [RATE=20000]
# The lab: one host namespace (198.18.0.11) plus HOSTS addresses from `scripts/lab.sh many`.
set -euo pipefail
cd "$(dirname "$0")/.."
hosts=${1:-4080}
scope=${2:-198.18.0.0/16}
rate=${3:-20000}
source scripts/lab-bench-setup.sh
scripts/lab.sh up 1
scripts/lab.sh many "$hosts"
live=$((hosts + 1))
now() { date +%s.%N; }
"$AL" db check --db "$tmp/b.sqlite" >/dev/null # an existing ledger, as in daily use

t0=$(now)
scripts/lab.sh run /usr/bin/time -f %M -o "$tmp/ours.rss" "$AL" scan "$scope" --interface scan0 --rate "$rate" \
    --probes none --retries 1 --settle 0.5 --max-hosts 65536 --db "$tmp/b.sqlite" >"$tmp/ours.txt"
t1=$(now)
ours_found=$(grep -cE "^198\.18\." "$tmp/ours.txt" || true)
# The sweep alone (its own clock, from the summary line), without start-up, ledger and output.
ours_sweep=$(grep -oE "ARP requests in [0-9.]+ s" "$tmp/ours.txt" | awk '{print $4}')
ours_phases=$(grep -E "^phases:" "$tmp/ours.txt" || true)

interval_us=$((1000000 / rate))
t2=$(now)
scripts/lab.sh run /usr/bin/time -f %M -o "$tmp/peer.rss" arp-scan -I scan0 --retry=2 --timeout=500 \
    --interval="${interval_us}u" -q -x "$scope" >"$tmp/peer.txt" 2>/dev/null
t3=$(now)
peer_found=$(cut -f1 "$tmp/peer.txt" | sort -u | grep -cE "^198\.18\." || true)

awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v of="$ours_found" -v pf="$peer_found" -v h="$live" \
    -v s="$scope" -v r="$rate" -v sw="$ours_sweep" -v om="$(cat "$tmp/ours.rss")" -v pm="$(cat "$tmp/peer.rss")" 'BEGIN {
    ours = b - a; peer = d - c
    printf "ARP sweep of %s, %d live addresses, %d packets/s, 2 tries per silent address\n", s, h, r
    printf "  %-26s %7s  %9s  %s\n", "", "time", "found", "peak RSS"
    printf "  %-26s %6.2fs  %4d/%-4d  %5.1f MB\n", "assetledger scan (+ledger)", ours, of, h, om / 1024
    printf "  %-26s %6.2fs  %4d/%-4d\n", "  of which the sweep", sw, of, h
    printf "  %-26s %6.2fs  %4d/%-4d  %5.1f MB\n", "arp-scan", peer, pf, h, pm / 1024
    printf "  ratio arp-scan time / ours: %.2f (target >= 1.00); arp-scan / our sweep alone: %.2f\n", peer / ours, peer / sw
}'
[ "$ours_found" -eq "$live" ] || { echo "assetledger missed hosts" >&2; exit 1; }
echo "  ours, by phase: ${ours_phases:-?}"
