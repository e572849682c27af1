# Sourced by the lab benchmarks (bench-arp.sh, bench-ports.sh, compare-nmap-id.sh): refuses
# without root, installs the packages, builds the release binary ($AL), makes a scratch
# directory ($tmp) and tears the lab down on exit.
[ "$(id -u)" -eq 0 ] || { echo "$(basename "$0") needs root (network namespaces, libpcap)" >&2; exit 1; }
source scripts/env.sh
scripts/install-deps.sh >/dev/null
swift build -c release --product assetledger 2>&1 | tail -1
AL=$PWD/.build/release/assetledger
tmp=$(mktemp -d)
trap 'scripts/lab.sh down; rm -rf "$tmp"' EXIT
