#!/usr/bin/env bash
# Ledger benchmark (issue 2): merge 100,000 observations into 50,000 devices across 60
# departments, then list one department's 5,000 devices. Release build; prints a table.
# Runs it RUNS times (default 3) so the spread is visible on a shared, noisy machine.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
swift build -c release --product ledger-bench >/dev/null
for i in $(seq "${RUNS:-3}"); do
    echo "--- run $i"
    .build/release/ledger-bench "$@"
done
