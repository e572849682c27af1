#!/usr/bin/env bash
# Import benchmark (issue 11): one JSON Lines file of OBSERVATIONS (default 300,000)
# observations of DEVICES (default 100,000) machines, imported by the release `assetledger
# import` into an empty ledger under /usr/bin/time -v. Prints peak RSS and observations/s and
# fails if the peak reaches LIMIT_MB (default 200). RUNS runs (default 1).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
observations=${OBSERVATIONS:-300000}
devices=${DEVICES:-100000}
limit=${LIMIT_MB:-200}
swift build -c release --product assetledger >/dev/null
swift build -c release --product ledger-bench >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
.build/release/ledger-bench observations-file --out "$work/observations.jsonl" \
    --observations "$observations" --devices "$devices"
ls -l "$work/observations.jsonl" | awk '{printf "file: %.1f MB\n", $5 / 1048576}'
failed=0
for i in $(seq "${RUNS:-1}"); do
    echo "--- run $i"
    rm -f "$work"/ledger.sqlite*
    /usr/bin/time -v -o "$work/time.txt" .build/release/assetledger import --db "$work/ledger.sqlite" \
        "$work/observations.jsonl"
    rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")
    seconds=$(echo "$wall" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
    awk -v kb="$rss_kb" -v s="$seconds" -v n="$observations" -v limit="$limit" 'BEGIN {
        printf "peak RSS: %.1f MB (limit %d MB)  wall: %.2f s  rate: %.0f observations/s\n", kb / 1024, limit, s, n / s }'
    if [ "$rss_kb" -ge $((limit * 1024)) ]; then
        echo "FAIL: peak RSS $((rss_kb / 1024)) MB >= $limit MB"
        failed=1
    fi
done
exit $failed
