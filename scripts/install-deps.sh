#!/usr/bin/env bash
# Installs the Debian 12 packages AssetLedger needs (run as root, or with sudo available).
# Idempotent: packages already present are not fetched again.
set -euo pipefail

# What each package is for (see README "Dependencies"):
#   libsqlite3-dev  the system SQLite that GRDB links (the ledger's database)
#   sqlite3         the sqlite3 shell, to inspect a ledger file by hand
#   pkg-config      lets SwiftPM find system libraries
#   ca-certificates, git  fetching the Swift packages on a machine without a mirror
#   libxml2         XML inventories (Foundation's XMLParser links it)
#   clamav          the antivirus the Linux collector reports on (tested for real)
#   fusioninventory-agent, ocsinventory-agent  real agents whose inventories the tests import
#   curl            the Linux collector's POST to the server
#   iproute2        test network namespaces (the collector POST test, the scanner lab)
#   ieee-data       the IEEE MAC address registries (adapter vendors)
#   libpcap-dev     reading captures, sending and capturing frames (the ARP sweep)
#   time            GNU time: peak memory of the commands the benchmarks run
#   arp-scan        the peer tool scripts/bench-arp.sh measures the ARP sweep against
PACKAGES=(libsqlite3-dev sqlite3 pkg-config git ca-certificates libxml2 clamav fusioninventory-agent ocsinventory-agent
    curl iproute2 ieee-data libpcap-dev arp-scan time)

missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
    echo "installing: ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
    echo "system packages: all present (${PACKAGES[*]})"
fi

# Swift itself is not packaged by Debian 12: it must be installed from swift.org (6.1 or newer).
if ! command -v swift >/dev/null 2>&1; then
    for d in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
        [ -x "$d/swift" ] && { echo "note: add $d to PATH"; exit 0; }
    done
    echo "error: no Swift toolchain found; install Swift 6.1+ from https://www.swift.org/install/linux/" >&2
    exit 1
fi
