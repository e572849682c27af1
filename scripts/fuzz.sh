#!/usr/bin/env bash
# Runs each codec's libFuzzer target for a bounded time (SECONDS_PER_TARGET, default 20).
# Targets are built with `swiftc -sanitize=fuzzer,address` from the codec sources and a
# `Fuzz/<name>.swift` entry point. A crash fails the run and leaves the input in .build/fuzz.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
seconds=${SECONDS_PER_TARGET:-20}
out=.build/fuzz
mkdir -p "$out"
build_and_run() {
    local name=$1; shift
    # A codec that uses LedgerModel's values is compiled in one module with it, named
    # LedgerModel so its `import LedgerModel` names itself.
    local module=Fuzz"$name"
    if [ "${1:-}" = "--with-model" ]; then shift; module=LedgerModel; set -- "$@" Sources/LedgerModel/*.swift; fi
    # (ld.gold warns about every ASan symbol it cannot export: noise, filtered out)
    swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name "$module" "$@" Sources/Discovery/ByteText.swift "Fuzz/$name.swift" -o "$out/$name" \
        2> >(grep -v "Cannot export local symbol" >&2)
    mkdir -p "$out/$name-corpus"
    (cd "$out" && "./$name" -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=1024 "$name-corpus" 2>&1 | tail -3)
}
build_and_run dns Sources/Discovery/DNSMessage.swift Sources/Discovery/Frames.swift
build_and_run snmp Sources/Discovery/SNMPMessage.swift Sources/Discovery/DNSMessage.swift
build_and_run dhcp Sources/Discovery/DHCPMessage.swift Sources/Discovery/DNSMessage.swift
build_and_run nbns Sources/Discovery/NBNS.swift Sources/Discovery/DNSMessage.swift
build_and_run http Sources/Discovery/HTTPHead.swift Sources/Discovery/DNSMessage.swift
build_and_run ipp Sources/Discovery/IPPMessage.swift Sources/Discovery/DNSMessage.swift
build_and_run neighbors Sources/Discovery/NeighborDiscovery.swift Sources/Discovery/Frames.swift Sources/Discovery/DNSMessage.swift
build_and_run arp --with-model Sources/Discovery/ARPPacket.swift Sources/Discovery/ScanScope.swift Sources/Discovery/Frames.swift Sources/Discovery/DNSMessage.swift
build_and_run answers Sources/Discovery/ProbeAnswers.swift Sources/Discovery/IPv4Frames.swift Sources/Discovery/Frames.swift \
    Sources/Discovery/SNMPMessage.swift Sources/Discovery/DNSMessage.swift Sources/Discovery/NBNS.swift \
    Sources/Discovery/IPPMessage.swift Sources/Discovery/HTTPHead.swift
build_and_run smb Sources/Discovery/SMBNegotiate.swift Sources/Discovery/DNSMessage.swift
echo "fuzzing passed"
