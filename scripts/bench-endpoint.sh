#!/usr/bin/env bash
# Endpoint benchmark (issue 4): import 10,000 agent reports of 300 programs each (built from
# the real samples in ../shared/fixtures/agents) into a campus of 50,000 scanned devices, one
# report per transaction; then the posture report of the 5,000-device department and the whole
# college's compliance and its workbook (issue 12: targets <= 2 s and <= 5 s, peak RSS < 300 MB) against a generated licence
# register. Options pass through (--reports N, --compliance-runs N).
# Release build; RUNS runs (default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
swift build -c release --product ledger-bench >/dev/null
for i in $(seq "${RUNS:-3}"); do
    echo "--- run $i"
    .build/release/ledger-bench endpoint --agents ../shared/fixtures/agents "$@"
done
