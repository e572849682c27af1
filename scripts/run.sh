#!/usr/bin/env bash
# The main job on its embedded defaults: install what is needed, build, load the sample campus
# (departments, subnet map, host-name rules, a batch of observations) into the embedded SQLite
# database, scan the built-in lab (scripts/lab.sh campus: 22 devices with real daemons in
# network namespaces on 198.18.1.0/24) into it, and print the inventory. Needs root (the lab's
# namespaces and the scanner's raw frames); the lab is torn down on exit.
#
# Database: --db PATH, else $ASSETLEDGER_DB, else ./assetledger.sqlite.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
    echo "run.sh scans the built-in lab, which needs root (network namespaces, libpcap): run it as root or with sudo" >&2
    exit 1
fi
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

# The built-in lab as the default target: bring it up, scan it, tear it down.
trap 'scripts/lab.sh down' EXIT
scripts/lab.sh campus
db=${ASSETLEDGER_DB:-$PWD/assetledger.sqlite}
case $db in /*) ;; *) db=$PWD/$db ;; esac
scripts/lab.sh run "$PWD/${AL[0]}" scan 198.18.1.0/24 --interface scan0 --rate 2000 --db "$db"
echo
"${AL[@]}" dept list
echo
"${AL[@]}" device list
echo
"${AL[@]}" db check
