#!/usr/bin/env bash
# Console benchmark (issue 13): the bench campus (50,000 devices in 60 departments, built by
# `ledger-bench ledger`), `assetledger serve` on loopback, and wrk with 64 connections for 15 s
# on one department's device page and on /api/v1/devices for that department (a liaison's
# session and token), and the page sorted by a column. Targets: p99 <= 50 ms and >= 1,000
# requests/s each. Release build.
#   scripts/bench-console.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
command -v wrk >/dev/null || { echo "bench-console: wrk is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }
seconds=${1:-15}
swift build -c release --product ledger-bench >/dev/null
swift build -c release --product assetledger >/dev/null
work=$(mktemp -d /tmp/bench-console.XXXXXX)
port=$((20000 + RANDOM % 20000))
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
db=$work/console.sqlite
.build/release/ledger-bench ledger --db "$db" >"$work/ledger.log"
AL=(.build/release/assetledger --db "$db")
printf 'bench-liaison-password\n' | "${AL[@]}" user add bench-d05 --role liaison --dept D05 --password-stdin >/dev/null
token=$("${AL[@]}" token create bench-d05 --name bench)
"${AL[@]}" serve --host 127.0.0.1 --port "$port" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/login" && break; sleep 0.1; done
page=$(curl -s -i "http://127.0.0.1:$port/login")
login_cookie=$(sed -n 's/^Set-Cookie: \(al_login=[0-9a-f]*\).*/\1/p' <<<"$page")
csrf=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' <<<"$page" | head -1)
cookie=$(curl -s -i -X POST -H "Cookie: $login_cookie" --data "csrf=$csrf&login=bench-d05&password=bench-liaison-password" \
    "http://127.0.0.1:$port/login" | sed -n 's/^Set-Cookie: \(al_session=[0-9a-f]*\).*/\1/p')
[ -n "$cookie" ] || { echo "bench-console: sign-in failed" >&2; exit 1; }
devices=$(curl -s -H "Authorization: Bearer $token" -D - -o /dev/null "http://127.0.0.1:$port/api/v1/devices?per_page=1" |
    sed -n 's/^X-Total-Count: \([0-9]*\).*/\1/p' | tr -d '\r')
echo "console benchmark: the bench campus of ledger-bench (50,000 devices, 60 departments); D05 holds $devices devices; wrk -t2 -c64 -d${seconds}s"
printf '%-44s %10s %10s %8s %s\n' "route" "req/s" "p99 (ms)" "errors" "met (>=1000/s, p99<=50ms)"
run() {
    local name=$1 url=$2 header=$3 out rate p99 errors ok
    out=$(wrk -t2 -c64 -d"${seconds}s" --latency -H "$header" "$url")
    rate=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {v=$2; if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' <<<"$out")
    errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')
    ok=$(awk -v r="$rate" -v p="$p99" 'BEGIN { print (r >= 1000 && p <= 50) ? "yes" : "NO" }')
    printf '%-44s %10s %10s %8s %s\n' "$name" "$rate" "$p99" "${errors:-0}" "$ok"
}
run "GET /devices (page 1 of D05, session)" "http://127.0.0.1:$port/devices" "Cookie: $cookie"
run "GET /devices?sort=-last_seen (D05, session)" "http://127.0.0.1:$port/devices?sort=-last_seen" "Cookie: $cookie"
run "GET /api/v1/devices (D05, 100 per page, token)" "http://127.0.0.1:$port/api/v1/devices?per_page=100" "Authorization: Bearer $token"
