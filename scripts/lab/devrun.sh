#!/bin/sh
# Runs one daemon of campus device NAME (scripts/lab.sh campus starts it as
#   ip netns exec alab-cNAME unshare -m -u --propagation private devrun.sh NAME HOSTNAME CMD...):
# gives CMD the device's own /run (host dir /run/alab/NAME/run, inside which /run/alab/NAME
# stays reachable), so daemons with fixed run paths (/run/avahi-daemon, /run/sshd, /run/samba)
# never clash; the device's host name (- keeps the machine's); TMPDIR and HOME under the
# device's state dir. Refuses to run in the machine's own network, mount or UTS namespace, so
# none of this can reach the host. Then execs CMD (same PID, which lab.sh records).
set -eu
name=$1 host=$2
shift 2
for ns in net mnt uts; do
    if [ "$(readlink /proc/self/ns/$ns)" = "$(readlink /proc/1/ns/$ns)" ]; then
        echo "devrun: refusing to run in the host's $ns namespace" >&2
        exit 1
    fi
done
d=/run/alab/$name
mount --bind "$d" "$d/run/alab/$name"
mount --rbind "$d/run" /run
[ "$host" = - ] || hostname "$host"
export TMPDIR="$d/tmp" HOME="$d/home"
exec "$@"
