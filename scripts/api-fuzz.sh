#!/usr/bin/env bash
# API fuzzing (issue 13): schemathesis (PyPI, in its own venv under .build/tools) against the
# live server from its own OpenAPI document, once per role — admin, liaison (one department),
# auditor, and a collector's reports-only token — bounded by examples per operation and time,
# in a network namespace with only loopback (see below). Checks: no 5xx, every response's
# status, content type, headers and body as the spec says, schema-violating requests refused,
# undeclared methods answered 405 with Allow, no operation answering without credentials. Not
# checked: that every schema-valid request is accepted (the server refuses what the spec cannot
# say: an identifier that is no MAC, serial or IP, not-ours without a note, a scope scan refuses).
#   scripts/api-fuzz.sh [EXAMPLES]   (default 10 per operation; API_FUZZ_SECONDS per role, default 60)
set -euo pipefail
self=$(realpath "$0")
cd "$(dirname "$self")/.."
source scripts/env.sh
examples=${1:-10}
seconds=${API_FUZZ_SECONDS:-60}
version=4.32.5
venv=.build/tools/schemathesis
if [ "$("$venv/bin/schemathesis" --version 2>/dev/null)" != "schemathesis, version $version" ]; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "schemathesis==$version"
fi
swift build --product assetledger >/dev/null
# The server and schemathesis run in a network namespace of their own with only loopback: the
# API lets IT add and start scan jobs, and a generated job must never reach a real network.
if [ -z "${API_FUZZ_IN_NETNS:-}" ]; then
    if [ "$(id -u)" = 0 ]; then isolate=(unshare --net); else isolate=(unshare --net --map-root-user); fi
    exec "${isolate[@]}" env API_FUZZ_IN_NETNS=1 "$self" "$@"
fi
ip link set lo up
# (A new namespace may hold the kernel's fallback tunnels, sit0 and the like: down, no address.)
[ -z "$(ip -o link show up | grep -v ': lo:')" ] && [ -z "$(ip -4 route show; ip -6 route show | grep -v '^::1 ')" ] ||
    { echo "api-fuzz: the namespace reaches more than loopback" >&2; ip -o link show >&2; exit 1; }
work=$(mktemp -d /tmp/api-fuzz.XXXXXX)
port=$((20000 + RANDOM % 20000))
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
AL=(.build/debug/assetledger --db "$work/ledger.sqlite")
# A small campus from the project's samples (departments, subnets, devices, licences, a campaign).
"${AL[@]}" dept import fixtures/sample/departments.csv >/dev/null
"${AL[@]}" subnet import fixtures/sample/subnets.csv >/dev/null
"${AL[@]}" import fixtures/sample/observations.jsonl >/dev/null
"${AL[@]}" license import fixtures/sample/licences.csv >/dev/null
"${AL[@]}" campaign open self-check "2026年软件正版化自查" --deadline 2026-12-31 >/dev/null
printf 'api-fuzz-admin-1\n' | "${AL[@]}" user add it --role admin --password-stdin >/dev/null
printf 'api-fuzz-liaison-1\n' | "${AL[@]}" user add dzb --role liaison --dept DZB --password-stdin >/dev/null
printf 'api-fuzz-auditor-1\n' | "${AL[@]}" user add aud --role auditor --password-stdin >/dev/null
declare -A tokens=(
    [admin]=$("${AL[@]}" token create it --name api-fuzz)
    [liaison]=$("${AL[@]}" token create dzb --name api-fuzz)
    [auditor]=$("${AL[@]}" token create aud --name api-fuzz)
    [collector]=$("${AL[@]}" token create it --name api-fuzz-collector --reports-only)
)
"${AL[@]}" serve --host 127.0.0.1 --port "$port" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/login" && break; sleep 0.1; done
checks=not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance
checks=$checks,response_schema_conformance,negative_data_rejection,unsupported_method,allow_header_conformance,ignored_auth
failed=()
for role in ${API_FUZZ_ROLES:-admin liaison auditor collector}; do
    echo "== schemathesis as $role ($examples examples per operation)"
    if ! timeout 600 "$venv/bin/schemathesis" run "http://127.0.0.1:$port/api/v1/openapi.json" \
        -H "Authorization: Bearer ${tokens[$role]}" --checks "$checks" -n "$examples" --seed 20261201 -w 1 \
        --request-timeout 20 --max-time "$seconds" --phases examples,coverage,fuzzing >"$work/$role.log" 2>&1; then
        failed+=("$role")
        { sed -n '/FAILURES/,/SUMMARY/p' "$work/$role.log" | head -80; tail -25 "$work/$role.log"; } >&2
    fi
    grep -E "test cases|generated|passed|failures" "$work/$role.log" | tail -2
done
if grep -q "request failed" "$work/serve.log"; then
    echo "api-fuzz: the server logged failures:" >&2
    grep "request failed" "$work/serve.log" | head -5 >&2
    failed+=(server-log)
fi
[ ${#failed[@]} -eq 0 ] || { echo "api fuzzing FAILED: ${failed[*]}" >&2; exit 1; }
echo "api fuzzing passed"
