#!/usr/bin/env bash
# Runs every test. Exits non-zero on any failure. CI (.ci/run) calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/install-deps.sh

# One format (.swift-format: 4 spaces, 120 columns), checked before anything builds.
swift format lint --strict --recursive --configuration .swift-format Sources Tests Fuzz Package.swift scripts/fuzz-seeds.swift \
    || { echo "format check FAILED: run swift format --in-place --recursive Sources Tests Fuzz Package.swift scripts/fuzz-seeds.swift" >&2; exit 1; }

swift build --build-tests
# One framework (Swift Testing) holds the tests; `swift test` also prints an empty XCTest block.
swift test --skip-build 2>&1 | tee .build/test.log
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ] || grep -q "✘" .build/test.log; then
    echo "tests FAILED" >&2
    exit 1
fi
grep -E "^✔ Test run with [0-9]+ tests" .build/test.log || { echo "no Swift Testing summary found" >&2; exit 1; }

# The main job must also work end to end, on a throwaway database.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
swift build --product assetledger
AL=.build/debug/assetledger
export ASSETLEDGER_DB="$tmp/smoke.sqlite"
$AL dept import fixtures/sample/departments.csv >/dev/null
$AL subnet import fixtures/sample/subnets.csv >/dev/null
$AL hostname-rule import fixtures/sample/hostname-rules.csv >/dev/null
$AL import fixtures/sample/observations.jsonl >/dev/null
devices=$($AL device list --format json)
grep -q '"class" : "mfp"' <<<"$devices" || { echo "no MFP in the sample campus's device list" >&2; exit 1; }
# A refused file exits non-zero and names the line.
printf 'code,name\nA,B\n' >"$tmp/bad.csv"
if out=$($AL dept import "$tmp/bad.csv" 2>&1); then echo "bad CSV was accepted" >&2; exit 1; fi
grep -q "bad.csv:1: wrong header" <<<"$out" || { echo "unexpected error: $out" >&2; exit 1; }
$AL db check >/dev/null
# A reader that goes away early (`| true`, `| head`) ends a command quietly, never a crash.
set +o pipefail
{ sleep 1; $AL device list --format json; } 2>"$tmp/pipe.err" | true  # the reader is gone before the write
piped=${PIPESTATUS[0]}
set -o pipefail
[ "$piped" = 141 ] && [ ! -s "$tmp/pipe.err" ] \
    || { echo "a closed pipe: exit $piped (not 141), or it said:" >&2; cat "$tmp/pipe.err" >&2; exit 1; }
# The console answers on loopback: the sign-in page, 401 without a session, a token's list.
printf 'smoke-admin-password\n' | $AL user add smoke --role admin --password-stdin >/dev/null
token=$($AL token create smoke)
# The Linux collector posts this machine's report to the real server with a collector's token
# (which may deliver reports and nothing else).
collector=$($AL token create smoke --name smoke-collector --reports-only)
port=$((20000 + RANDOM % 20000))
$AL serve --host 127.0.0.1 --port "$port" >"$tmp/serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; rm -rf "$tmp"' EXIT  # the server goes on every way out
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/login" && break; sleep 0.1; done
login=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/login" || true)
anonymous=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/devices" || true)
listed=$(curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/devices?per_page=500" || true)
posted=$(sh scanners/collectors/assetledger-collect-linux.sh --post "http://127.0.0.1:$port/api/v1/reports" \
    --token "$collector" 2>&1) || { echo "collector POST FAILED: $posted" >&2; cat "$tmp/serve.log" >&2; exit 1; }
collectorReads=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $collector" \
    "http://127.0.0.1:$port/api/v1/devices" || true)
kill "$server"; wait "$server" 2>/dev/null || true
trap 'rm -rf "$tmp"' EXIT
[ "$login" = 200 ] && [ "$anonymous" = 401 ] && grep -q '"class":"mfp"' <<<"$listed" \
    || { echo "console smoke FAILED: /login $login, anonymous API $anonymous" >&2; cat "$tmp/serve.log" >&2; exit 1; }
grep -q '"format" : "assetledger-endpoint-report"' <<<"$posted" && [ "$collectorReads" = 403 ] \
    || { echo "collector smoke FAILED: $posted; a collector's token read devices: $collectorReads" >&2; exit 1; }
software=$($AL software list --format json)
grep -q '"installs"' <<<"$software" || { echo "the posted report's software is not in the ledger" >&2; exit 1; }

# The API against its own OpenAPI document, per role (schemathesis, bounded: 10 examples per
# operation, at most 60 s per role).
scripts/api-fuzz.sh

# The scanner against real hosts in network namespaces (root).
scripts/lab-test.sh

# Every codec's libFuzzer target, for a bounded time.
SECONDS_PER_TARGET=${SECONDS_PER_TARGET:-20} scripts/fuzz.sh
echo "all tests passed"
