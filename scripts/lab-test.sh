#!/usr/bin/env bash
# Lab tests: the ARP sweep against real Linux hosts in network namespaces (scripts/lab.sh).
# Needs root (namespaces, raw sockets); refuses loudly otherwise. Tears the lab down on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
    echo "lab tests NOT RUN: they need root (network namespaces and libpcap capture)" >&2
    exit 1
fi
AL=$PWD/.build/debug/assetledger
# The lab test serves the real SNMP recordings of the shared corpus (the main job serves the
# system groups of fixtures/lab/snmp-agents.tsv); it fails, not skips, without them.
shared=../shared/fixtures/snmprec
[ -r "$shared/jetdirect.snmprec" ] || { echo "lab test FAILED: cannot read the recordings in $shared" >&2; exit 1; }
export LAB_RECORDINGS=$PWD/$shared
tmp=$(mktemp -d)
trap 'scripts/lab.sh down; rm -rf "$tmp"' EXIT
fail() { echo "lab test FAILED: $*" >&2; exit 1; }
# Sections 1-5 test the sweep alone (--probes none); the campus sections scan with every probe.
scan() { timeout 60 scripts/lab.sh run "$AL" scan --db "$tmp/lab.sqlite" --interface scan0 --probes none "$@"; }
cscan() { timeout 120 scripts/lab.sh run "$AL" scan --db "$tmp/campus.sqlite" --interface scan0 198.18.1.0/24 --rate 2000 "$@"; }
flush() { for k in $(seq 1 8); do ip -n alab-h$k neigh flush all; done; }

scripts/lab.sh up 8

# 1. Every host is found once, with its own MAC, and becomes one device.
flush
out=$(scan 198.18.0.0/24 --rate 2000)
for k in $(seq 1 8); do
    mac=$(scripts/lab.sh mac $k)
    echo "$out" | grep -Eq "^198\.18\.0\.$((k + 10)) +$mac" || fail "host $k ($mac) not found: $out"
done
echo "$out" | grep -Eq "^198\.18\.0\.11 +3c:d9:2b:00:00:01 +Hewlett Packard +- +HP Inc\. " || fail "no HP vendor (the MAC registry's Hewlett Packard, named HP Inc. by the dictionary): $out"
grep -q "^8 of 254 addresses answered" <<<"$out" || fail "expected 8 answers: $out"
grep -q "ledger: 8 new, 0 known" <<<"$out" || fail "expected 8 new devices: $out"
# Non-responders are retried once, responders never: 253 + (253 - 8) requests.
grep -q "498 ARP requests" <<<"$out" || fail "expected 498 requests (one retry of the silent only): $out"

# 2. An excluded host is never asked: a Linux host that gets an ARP request for itself
#    learns the asker's address, so its neighbour table stays empty only if nothing came.
flush
out=$(scan 198.18.0.0/24 --exclude 198.18.0.13 --retries 0)
grep -q "198.18.0.13 " <<<"$out" && fail "excluded host answered: $out"
[ -z "$(ip -n alab-h3 neigh show 198.18.0.1)" ] || fail "excluded host 198.18.0.13 was sent a request"
[ -n "$(ip -n alab-h4 neigh show 198.18.0.1)" ] || fail "included host 198.18.0.14 was never asked"
grep -q "ledger: 0 new, 7 known" <<<"$out" || fail "a re-scan must match the known devices: $out"

# 3. No scope, no scan; no interface, no scan.
scan >/dev/null 2>&1 && fail "a scan without scope ran"
timeout 10 scripts/lab.sh run "$AL" scan --db "$tmp/lab.sqlite" 198.18.0.0/24 >/dev/null 2>&1 &&
    fail "a scan without --interface ran"
[ "$("$AL" device list --db "$tmp/lab.sqlite" --format csv | tail -n +2 | grep -c .)" -eq 8 ] ||
    fail "the ledger must hold exactly 8 devices"
# 4. Each scan is recorded with its scope and counts.
scans=$("$AL" scan list --db "$tmp/lab.sqlite")
echo "$scans" | grep -Eq "^1 +arp .* +254 +8 +8 +completed +198\.18\.0\.1-198\.18\.0\.254$" || fail "scan 1 not recorded: $scans"
echo "$scans" | grep -Eq "^2 +arp .* +253 +7 +0 +completed +198\.18\.0\.1-198\.18\.0\.12,198\.18\.0\.14-198\.18\.0\.254$" ||
    fail "scan 2 not recorded: $scans"
[ "$(echo "$scans" | grep -c arp)" -eq 2 ] || fail "refused scans must not be recorded: $scans"

# 5. scan diff: the excluded host is gone from scan 2; then a host changes its adapter.
diff=$("$AL" scan diff 1 2 --db "$tmp/lab.sqlite")
grep -q "0 new, 1 gone, 0 changed" <<<"$diff" || fail "diff 1 2: $diff"
grep -q "^- 198.18.0.13 00:00:48:00:00:03$" <<<"$diff" || fail "diff 1 2 must list .13 gone: $diff"
ip -n alab-h2 link set eth0 address 00:00:48:00:00:99
scan 198.18.0.0/24 --retries 0 >/dev/null
diff=$("$AL" scan diff --db "$tmp/lab.sqlite")
grep -q "^scan 2 → scan 3: 1 new, 0 gone, 1 changed" <<<"$diff" || fail "diff of the last two: $diff"
grep -q "^~ 198.18.0.12 MAC 00:1b:a9:00:00:02 → 00:00:48:00:00:99$" <<<"$diff" || fail "MAC change not shown: $diff"

# 5b. Scan jobs: a job run through `scan job run` (what the console's button and the server's
#     schedule do) is recorded with the scan it made. Then `serve` starts the due jobs by itself:
#     one scans, one cannot (no such interface) and is recorded as failed with the reason, the
#     server keeps answering, and it stops gracefully on SIGTERM (5c). A job of 0.0.0.0/0 is refused.
job() { "$AL" scan job "$@" --db "$tmp/lab.sqlite"; }
job add lab-sweep --scope 198.18.0.0/24 --probes none --rate 2000 --interface scan0 --every 6h >/dev/null
job add lab-wide --scope 0.0.0.0/0 --interface scan0 >/dev/null 2>&1 && fail "a scan job of 0.0.0.0/0 was added"
out=$(timeout 60 scripts/lab.sh run "$AL" scan job run lab-sweep --db "$tmp/lab.sqlite") || fail "scan job run: $out"
grep -q "^scan job lab-sweep: run 1 ok, recorded as scan 4 " <<<"$out" || fail "the job's run: $out"
scans=$("$AL" scan list --db "$tmp/lab.sqlite")
grep -Eq "^4 +arp .* +254 +8 +0 +completed +198\.18\.0\.1-198\.18\.0\.254$" <<<"$scans" || fail "the job's scan: $scans"
job add lab-due --scope 198.18.0.11-198.18.0.14 --probes none --interface scan0 --every 5m >/dev/null
job add lab-nonic --scope 198.18.0.100-198.18.0.120 --probes none --interface nonic0 --every 5m >/dev/null
printf 'lab-it-password-1\n' | "$AL" user add lab-it --role admin --password-stdin --db "$tmp/lab.sqlite" >/dev/null
token=$("$AL" token create lab-it --name lab --db "$tmp/lab.sqlite")
scripts/lab.sh run "$AL" serve --db "$tmp/lab.sqlite" --port 18089 >"$tmp/serve.log" 2>&1 &
serve=$!
trap 'kill "$serve" 2>/dev/null; scripts/lab.sh down; rm -rf "$tmp"' EXIT
for _ in $(seq 1 150); do
    jobs=$(job list --format csv)
    grep -q ",lab-due,.*,ok," <<<"$jobs" && grep -q ",lab-nonic,.*,failed," <<<"$jobs" && break
    sleep 0.2
done
grep -q ",lab-due,.*,ok," <<<"$jobs" || fail "serve did not run the due job: $jobs $(cat "$tmp/serve.log")"
grep -q ",lab-nonic,.*,failed," <<<"$jobs" || fail "the job without interface is not a failed run: $jobs"
runs=$(job show lab-nonic --format csv)
grep -q "^[0-9]*,schedule,scheduler,.*,failed,,interface 'nonic0' does not exist" <<<"$runs" || fail "the failed run: $runs"
runs=$(job show lab-due --format csv)
grep -q "^[0-9]*,schedule,scheduler,.*,ok,5," <<<"$runs" || fail "the scheduled run and its scan 5: $runs"
api=$(scripts/lab.sh run curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:18089/api/v1/openapi.json)
[ "$api" = 200 ] || fail "serve stopped answering after a failed scan job: $api"
# 5c. A run IT stops: a sweep paced to take minutes (5 packets/s), started and cancelled
#     through the API, ends cancelled within seconds with who stopped it, recording no scan;
#     another, running when the server gets SIGTERM, is stopped by the shutdown the same way.
slow=$(job add lab-slow --scope 198.18.0.0/24 --probes none --rate 5 --interface scan0 --format json |
    sed -n 's/^  "id" : \([0-9]*\),$/\1/p')
api() { scripts/lab.sh run curl -s -H "Authorization: Bearer $token" "$@"; }
started=$(api -X POST "http://127.0.0.1:18089/api/v1/scan-jobs/$slow/run")
run=$(sed -n 's/.*"id" *: *\([0-9]*\).*/\1/p' <<<"$started" | head -1)
[ -n "$run" ] || fail "the slow job did not start: $started"
sleep 1
code=$(api -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:18089/api/v1/scan-job-runs/$run/cancel")
[ "$code" = 202 ] || fail "cancel answered $code"
for _ in $(seq 1 50); do
    runs=$(job show lab-slow --format csv)
    grep -q ",cancelled," <<<"$runs" && break
    sleep 0.2
done
grep -q "^$run,manual,web:lab-it,.*,cancelled,,cancelled by web:lab-it" <<<"$runs" || fail "the cancelled run: $runs"
scans_before=$("$AL" scan list --db "$tmp/lab.sqlite" --format csv | wc -l)
code=$(api -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:18089/api/v1/scan-job-runs/$run/cancel")
[ "$code" = 409 ] || fail "cancelling an ended run answered $code"
api -o /dev/null -X POST "http://127.0.0.1:18089/api/v1/scan-jobs/$slow/run"
sleep 1
stopping=$(date +%s)
kill -TERM "$serve"
wait "$serve" || fail "serve did not stop gracefully on SIGTERM: $(cat "$tmp/serve.log")"
[ $(($(date +%s) - stopping)) -le 10 ] || fail "serve took more than 10 s to stop a running scan"
runs=$(job show lab-slow --format csv)
grep -q ",cancelled,,the server shut down" <<<"$runs" || fail "the run the shutdown stopped: $runs"
[ "$("$AL" scan list --db "$tmp/lab.sqlite" --format csv | wc -l)" = "$scans_before" ] || fail "a stopped run recorded a scan"
trap 'scripts/lab.sh down; rm -rf "$tmp"' EXIT

# 6. The campus: every device found and classified as the roster says, vendor and model
#    wherever the device tells them (scripts/lab-campus.tsv, real daemons from Debian).
scripts/lab.sh campus
# The lab itself first: every device answers as its roster row says (else a scan result means nothing).
scripts/lab.sh run /usr/bin/python3 scripts/lab/campus-check.py >"$tmp/lab-check.txt" ||
    fail "the lab campus is not healthy: $(cat "$tmp/lab-check.txt")"
# (The check itself asked PJL INFO ID once: empty the byte logs so they hold only the scan's.)
for d in /run/alab/*/; do for f in "$d"pjl.log "$d"lpd.log; do [ -f "$f" ] && : >"$f"; done; done
cscan --format jsonl --xml "$tmp/campus.xml" >"$tmp/campus.jsonl"
/usr/bin/python3 scripts/lab/scan-vs-roster.py scripts/lab-campus.tsv "$tmp/campus.jsonl" || fail "campus scan differs from the roster"
# Each device is its own record in the ledger (two recordings share the placeholder sysName
# `<private>`, which once merged them).
[ "$("$AL" device list --db "$tmp/campus.sqlite" --format csv | tail -n +2 | grep -c .)" -eq 22 ] ||
    fail "the campus must be 22 devices in the ledger: $("$AL" device list --db "$tmp/campus.sqlite")"
# Firmware stated in the system description is read (Brother "Firmware Ver.1.14").
grep '"ip":"198.18.1.16"' "$tmp/campus.jsonl" | grep -q '"firmware":"1.14"' || fail "brother's firmware not read"
# The HTTPS device's certificate is read (TLS through the system OpenSSL).
grep -q '"tls.subject":\["/O=HP/CN=NPI18010A"\]' "$tmp/campus.jsonl" || fail "jetdirect's certificate subject not read"
# The Windows-like PC's SMB2 dialect and NTLM challenge (names, version) are read before any login.
grep '"ip":"198.18.1.29"' "$tmp/campus.jsonl" | grep '"ntlm.netbiosComputer":\["ACCT-PC07"\]' | grep -q '"os":"Samba"' ||
    fail "winpc's SMB negotiate / NTLM challenge not read: $(grep '"ip":"198.18.1.29"' "$tmp/campus.jsonl")"

# 7. Printer safety: the raw print ports received nothing but PJL INFO ID, and only on hosts
#    that other signals call printers; LPD received nothing at all. The loggers keep every byte.
pjl=$(printf '\033%%-12345X@PJL INFO ID\r\n\033%%-12345X' | xxd -p | tr -d '\n')
while IFS=$'\t' read -r name ip mac class fax vendor model snmprec daemons rest; do
    [ "$name" = name ] && continue
    case ",$daemons," in *,pjl,*) ;; *) continue ;; esac
    got=$(xxd -p "/run/alab/$name/pjl.log" | tr -d '\n')
    [ -z "$(wc -c <"/run/alab/$name/lpd.log" | tr -d ' 0')" ] || fail "$name: bytes reached LPD 515"
    if [ "$name" = rawport ]; then
        # Open 9100 and 515 and a printer maker's MAC, but nothing the device said: no PJL.
        [ -z "$got" ] || fail "rawport (not known as a printer) was sent bytes on 9100: $got"
    else
        [ "$got" = "$pjl" ] || fail "$name: 9100 received something other than one PJL INFO ID: $got"
    fi
done <scripts/lab-campus.tsv

# 7b. Each probe can be left out: with --skip pjl, not even a known printer's raw port hears a byte.
: >/run/alab/brother/pjl.log
timeout 60 scripts/lab.sh run "$AL" scan --db "$tmp/skip.sqlite" --interface scan0 198.18.1.16 --skip pjl >/dev/null
[ ! -s /run/alab/brother/pjl.log ] || fail "--skip pjl still sent PJL to brother"

# 8. Output other tools read: the nmap XML imports; a re-scan finds nothing changed; a service
#    that stops shows in scan diff as a port change.
"$AL" import --db "$tmp/imported.sqlite" "$tmp/campus.xml" | grep -q "22 observation(s): 22 new device(s)" ||
    fail "the scan's nmap XML does not import"
cscan >/dev/null
diff=$("$AL" scan diff --db "$tmp/campus.sqlite")
grep -q ": 0 new, 0 gone, 0 changed" <<<"$diff" || fail "a re-scan of an unchanged campus: $diff"
kill "$(cat /run/alab/lnxpc/sshd.pid)"
cscan >/dev/null
diff=$("$AL" scan diff --db "$tmp/campus.sqlite")
grep -q "^~ 198.18.1.30 ports 22 → $" <<<"$diff" || fail "a stopped sshd must show as a port change: $diff"

# 9. Passive listening: a host that speaks (an ARP request) is heard without being asked.
ip -n alab-clnxpc neigh flush all
# (A datagram to the scanner makes the host ask for its MAC: a broadcast ARP request.)
( sleep 1; ip netns exec alab-clnxpc bash -c 'echo hello >/dev/udp/198.18.0.1/9' || true ) &
heard=$(timeout 30 scripts/lab.sh run "$AL" listen --db "$tmp/campus.sqlite" --interface scan0 --duration 3)
wait
echo "$heard" | grep -Eq "^198\.18\.1\.30 +10:c5:95:18:01:1e" || fail "listen did not hear 198.18.1.30: $heard"

# 10. Without the privilege to capture (an ordinary user): connect scan, UDP through the
#     kernel, the same conversations. Every campus device is still found and classified
#     (vendors that only the MAC registry gives are out of reach: no MAC without ARP), and
#     the raw ports still get nothing but PJL INFO ID, and only from known printers.
for d in /run/alab/*/; do for f in "$d"pjl.log "$d"lpd.log; do [ -f "$f" ] && : >"$f"; done; done
chmod 0777 "$tmp"
out=$(timeout 120 scripts/lab.sh run setpriv --reuid=nobody --regid=nogroup --clear-groups "$AL" scan \
    --db "$tmp/nobody.sqlite" --interface scan0 198.18.1.10-198.18.1.31 --rate 2000 --format jsonl) ||
    fail "the unprivileged scan failed: $out"
echo "$out" >"$tmp/nobody.jsonl"
/usr/bin/python3 scripts/lab/scan-vs-roster.py --class-only scripts/lab-campus.tsv "$tmp/nobody.jsonl" ||
    fail "the unprivileged scan classifies differently"
[ -z "$(cat /run/alab/rawport/pjl.log)" ] || fail "the unprivileged scan sent bytes to rawport's 9100"
[ "$(xxd -p /run/alab/brother/pjl.log | tr -d '\n')" = "$pjl" ] || fail "brother's 9100 got other than one PJL INFO ID"

# 11. A routed segment: hosts behind a router are found by ICMP echo / TCP SYN through the
#     gateway's MAC, without MACs of their own, and port-scanned the same way.
scripts/lab.sh routed 3
out=$(timeout 60 scripts/lab.sh run "$AL" scan --db "$tmp/routed.sqlite" --interface scan0 198.19.0.0/24 --rate 2000)
grep -q "^4 of 254 addresses answered; 4 routed answered" <<<"$out" || fail "routed discovery: $out"
echo "$out" | grep -Eq "^198\.19\.0\.11 +- +- .* 80$" || fail "routed host .11 with port 80 open: $out"
for k in 1 12 13; do echo "$out" | grep -Eq "^198\.19\.0\.$k +- " || fail "routed host .$k not found: $out"; done

# 12. More conversational hosts than the kernel's neighbour table holds (gc_thresh3 = 1,024):
#     the TCP conversations wait for the kernel to free entries instead of failing to connect
#     (1,374 of 2,000 failed before). Takes a minute or two: the kernel's own garbage collection.
scripts/lab.sh many 1200
out=$(timeout 600 scripts/lab.sh run "$AL" scan --db "$tmp/bulk.sqlite" --interface scan0 198.18.16.0/21 \
    --probes ports,tcp --rate 20000 --host-rate 100 --max-in-flight 4096 --timeout 1)
echo "$out" | grep -E "^(probes|phases):"
grep -q "^probes: 0 UDP questions, 1200 TCP conversations$" <<<"$out" ||
    fail "bulk conversations failed to connect: $(echo "$out" | tail -4)"
echo "lab tests passed"
