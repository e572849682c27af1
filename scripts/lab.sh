#!/usr/bin/env bash
# The test lab: network namespaces joined by veth links to one bridge, addressed from
# 198.18.0.0/16 (the benchmarking range). Nothing here touches the machine's own interfaces.
#
#   scripts/lab.sh up [HOSTS]   scanner namespace alab-scan (scan0, 198.18.0.1/16) and HOSTS
#                               host namespaces alab-hK (eth0, 198.18.0.(10+K)/16), default 8,
#                               at most 200. Host MACs are globally administered under real
#                               printer makers' OUIs (HP, Brother, Epson in turn), as the
#                               ledger ignores locally administered (randomized) MACs
#   scripts/lab.sh mac K        prints host K's MAC
#   scripts/lab.sh many N       adds N more addresses for sweep benchmarks: namespaces alab-mG of
#                               250 addresses each on one interface (one Brother-OUI MAC per
#                               namespace), 198.18.(16+i/250).(1+i%250)/16; at most 16000
#   scripts/lab.sh down         removes every alab-* namespace (and with them the links)
#   scripts/lab.sh run CMD...   runs CMD inside the scanner namespace
set -euo pipefail
prefix=alab
ouis=(3c:d9:2b 00:1b:a9 00:00:48)
mac() { printf '%s:00:00:%02x' "${ouis[$((($1 - 1) % 3))]}" "$1"; }
down() {
    for ns in $(ip netns list | awk '{print $1}' | grep "^$prefix-" || true); do
        ip netns del "$ns"
    done
}
up() {
    local hosts=${1:-8}
    [[ $hosts =~ ^[0-9]+$ ]] && ((hosts >= 1 && hosts <= 200)) || { echo "lab: HOSTS must be 1...200" >&2; exit 2; }
    down
    ip netns add $prefix-net
    ip -n $prefix-net link add br0 type bridge
    ip -n $prefix-net link set br0 up
    ip netns add $prefix-scan
    ip link add scan0 netns $prefix-scan type veth peer name p0 netns $prefix-net
    ip -n $prefix-net link set p0 master br0 up
    ip -n $prefix-scan addr add 198.18.0.1/16 dev scan0
    ip -n $prefix-scan link set scan0 address 02:00:c6:12:00:01 up
    ip -n $prefix-scan link set lo up
    for ((k = 1; k <= hosts; k++)); do
        ip netns add $prefix-h$k
        ip link add eth0 netns $prefix-h$k type veth peer name p$((k + 1)) netns $prefix-net
        ip -n $prefix-net link set p$((k + 1)) master br0 up
        ip -n $prefix-h$k link set eth0 address "$(mac $k)" up
        ip -n $prefix-h$k addr add "198.18.0.$((k + 10))/16" dev eth0
        ip -n $prefix-h$k link set lo up
    done
}
many() {
    local n=${1:-4080}
    [[ $n =~ ^[0-9]+$ ]] && ((n >= 1 && n <= 16000)) || { echo "lab: N must be 1...16000" >&2; exit 2; }
    local groups=$(((n + 249) / 250)) g i batch
    for ((g = 0; g < groups; g++)); do
        ip netns add $prefix-m$g
        ip link add eth0 netns $prefix-m$g type veth peer name pm$g netns $prefix-net
        ip -n $prefix-net link set pm$g master br0 up
        ip -n $prefix-m$g link set eth0 address "$(printf '00:1b:a9:01:%02x:%02x' $((g >> 8)) $((g & 255)))" up
        batch=$(mktemp)
        for ((i = g * 250; i < n && i < (g + 1) * 250; i++)); do
            printf 'addr add 198.18.%d.%d/16 dev eth0\n' $((16 + i / 250)) $((1 + i % 250))
        done >"$batch"
        ip -n $prefix-m$g -batch "$batch"
        rm -f "$batch"
    done
}
case "${1:-}" in
many) shift; many "$@" ;;
up) shift; up "$@" ;;
down) down ;;
mac) mac "$2" ;;
run) shift; exec ip netns exec $prefix-scan "$@" ;;
*) echo "usage: $0 up [HOSTS] | down | mac K | run CMD..." >&2; exit 2 ;;
esac
