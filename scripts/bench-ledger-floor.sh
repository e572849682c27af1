#!/usr/bin/env bash
# How fast could any merge be? Writes the same rows the ledger benchmark's merge writes
# (100,000 observations, 50,000 devices, their keys, address index rows and history) with the
# sqlite3 shell alone, in one transaction, on a fresh ledger file with the real schema, and
# prints the implied observations per second. Run RUNS times (default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
swift build -c release --product assetledger >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for i in $(seq "${RUNS:-3}"); do
    db="$tmp/floor-$i.sqlite"
    .build/release/assetledger dept import fixtures/sample/departments.csv --db "$db" >/dev/null
    start=$(date +%s.%N)
    sqlite3 "$db" <Benchmarks/ledger-floor.sql >/dev/null
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" 'BEGIN { t = e - s; printf "run %d: %.2f s for 100000 observations = %.0f observations/s (SQLite alone)\n", '"$i"', t, 100000 / t }'
done
