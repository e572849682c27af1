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
#   libwireshark-data  /usr/share/wireshark/enterprises.tsv, the IANA Private Enterprise Numbers
#                   registry: who made an SNMP agent, from its sysObjectID (read in place)
#   libpcap-dev     reading captures, sending and capturing frames (the scanner's probes)
#   libxlsxwriter-dev  XLSX workbooks: `compliance` / `commitment status --format xlsx` (Sources/CXLSXWriter)
#   chromium        headless Chromium: the tests render the HTML reports (and, next, drive the web console)
#   chromium-driver its WebDriver, same version (the web console's browser tests)
#   fonts-noto-cjk  Chinese glyphs for the browser (reports and pages are Chinese by default)
#   libssl-dev      the system OpenSSL: the scanner's TLS handshake (certificate subject, HTTPS page)
#   time            GNU time: peak memory of the commands the benchmarks run
#   arp-scan        the peer tool scripts/bench-arp.sh measures the ARP sweep against
#   wrk             the HTTP load generator of scripts/bench-console.sh
# The lab's campus (scripts/lab.sh campus: real daemons, each inside its own network namespace):
#   snmpsim         snmpsimd, serving the SNMP recordings of ../shared/fixtures/snmprec per device
#   python3-pysnmp4 the SNMP client of scripts/lab/campus-check.py (snmpsim's own library)
#   python3         Debian's /usr/bin/python3 for the lab's responders (scripts/lab/*.py: PJL, LPD, PJLink)
#   cups-ipp-utils  ippeveprinter, the IPP Everywhere reference printer on the printers' port 631
#   dbus-daemon     a private D-Bus system bus per printer: ippeveprinter will not start without one
#   avahi-daemon    mDNS/DNS-SD per device (_ipp._tcp with ty=/Fax=, _pdl-datastream, _workstation, _ssh)
#   hylafax-server  hfaxd (HylaFAX client protocol, TCP 4559) and faxq: the fax server
#   gmediarender, gstreamer1.0-plugins-base  the display's UPnP MediaRenderer (SSDP); gmediarender
#                   aborts at start without the base plugins, which it only recommends
#   samba           nmbd + smbd: the Windows-like office PC (NetBIOS names, SMB)
#   openssh-server  sshd (and ssh-keygen for its host keys): the Linux PC
#   nmap            the peer scanner: port, service and script scans of the lab
#   openssl         openssl s_server: the HTTPS page and self-signed certificate of a lab printer
#   xxd             the lab test's view of the bytes that reached the printers' raw ports
PACKAGES=(libsqlite3-dev sqlite3 pkg-config git ca-certificates libxml2 clamav fusioninventory-agent ocsinventory-agent
    curl iproute2 ieee-data libwireshark-data libpcap-dev libssl-dev libxlsxwriter-dev chromium chromium-driver fonts-noto-cjk arp-scan wrk time
    snmpsim python3-pysnmp4 python3 python3-venv cups-ipp-utils dbus-daemon avahi-daemon hylafax-server gmediarender
    gstreamer1.0-plugins-base samba openssh-server nmap openssl xxd)

missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
    echo "installing: ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    # Server packages (samba, avahi-daemon, openssh-server, hylafax-server, dbus-daemon) must not
    # start services on this machine: the lab runs its own instances inside namespaces. While
    # apt-get runs, a temporary /usr/sbin/policy-rc.d answers 101 ("action forbidden") to
    # invoke-rc.d and deb-systemd-invoke; a trap removes it (one already there is left alone).
    # Units stay enabled for the next boot: `systemctl disable` them on a machine that matters.
    policy=/usr/sbin/policy-rc.d
    if [ ! -e $policy ]; then
        printf '#!/bin/sh\n# temporary: AssetLedger scripts/install-deps.sh\nexit 101\n' | $SUDO tee $policy >/dev/null
        $SUDO chmod 755 $policy
        trap '$SUDO grep -q "AssetLedger scripts/install-deps.sh" $policy && $SUDO rm -f $policy' EXIT
    fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
    echo "system packages: all present (${PACKAGES[*]})"
fi

# openpyxl, only for the tests: an independent reader of the workbooks we write
# (Tests/ReportsTests, run as the `python3` on PATH). Fetched only when that python3 cannot
# import it: with pip where pip may install (a pyenv or venv python); Debian's own python3 is
# externally managed (PEP 668) and may have no pip, so there Debian's python3-openpyxl.
if ! python3 -c 'import openpyxl' 2>/dev/null; then
    if ! pip install -q openpyxl 2>/dev/null; then
        SUDO=""
        [ "$(id -u)" -eq 0 ] || SUDO="sudo"
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-openpyxl
    fi
fi

# Swift itself is not packaged by Debian 12: it must be installed from swift.org (6.1 or newer).
if ! command -v swift >/dev/null 2>&1; then
    for d in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
        [ -x "$d/swift" ] && { echo "note: add $d to PATH"; exit 0; }
    done
    echo "error: no Swift toolchain found; install Swift 6.1+ from https://www.swift.org/install/linux/" >&2
    exit 1
fi
