#!/usr/bin/env bash
# The main job on its embedded defaults: install what is needed, build, load the sample campus
# (departments, subnet map, host-name rules, a batch of observations) into the embedded SQLite
# database and print the inventory.
#
# Database: --db PATH, else $ASSETLEDGER_DB, else ./assetledger.sqlite.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/install-deps.sh

swift build -c release --product assetledger
AL=(.build/release/assetledger)
if [ "${1:-}" = "--db" ] && [ -n "${2:-}" ]; then export ASSETLEDGER_DB="$2"; fi

"${AL[@]}" dept import fixtures/sample/departments.csv
"${AL[@]}" subnet import fixtures/sample/subnets.csv
"${AL[@]}" hostname-rule import fixtures/sample/hostname-rules.csv
"${AL[@]}" import fixtures/sample/observations.jsonl
echo
"${AL[@]}" dept list
echo
"${AL[@]}" device list
echo
"${AL[@]}" db check
