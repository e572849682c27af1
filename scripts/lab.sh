#!/usr/bin/env bash
# The test lab: network namespaces joined by veth links to one bridge, addressed from
# 198.18.0.0/16 (the benchmarking range). Nothing here touches the machine's own interfaces,
# and every daemon runs inside a lab namespace (scripts/lab/devrun.sh refuses otherwise).
#
#   scripts/lab.sh up [HOSTS]   scanner namespace alab-scan (scan0, 198.18.0.1/16) and HOSTS
#                               host namespaces alab-hK (eth0, 198.18.0.(10+K)/16), default 8,
#                               0...200. Host MACs are globally administered under real
#                               printer makers' OUIs (HP, Brother, Epson in turn), as the
#                               ledger ignores locally administered (randomized) MACs
#   scripts/lab.sh mac K        prints host K's MAC
#   scripts/lab.sh many N       adds N more addresses for sweep benchmarks: namespaces alab-mG of
#                               250 addresses each on one interface (one Brother-OUI MAC per
#                               namespace), 198.18.(16+i/250).(1+i%250)/16; at most 16000. One
#                               listener per namespace (scripts/lab/listen.py) holds TCP 9100
#                               and 80 open on every address
#   scripts/lab.sh campus       adds the devices of scripts/lab-campus.tsv (tab-separated, one
#                               row each: name, ip 198.18.1.X, MAC under the maker's OUI,
#                               expected class, fax, vendor, model, snmprec, daemons, TCP and UDP
#                               ports, host name), each a namespace alab-cNAME running real
#                               daemons: snmpsimd (its recording as community public), PJL 9100
#                               and LPD 515 loggers (scripts/lab/pjl.py), ippeveprinter 631 (with
#                               the private D-Bus it needs), avahi-daemon, hfaxd 4559 + faxq,
#                               gmediarender + PJLink 4352, samba nmbd + smbd, sshd, openssl
#                               s_server on 443 (self-signed, O=vendor CN=host name). Every daemon
#                               sees its device's own /run and host name (scripts/lab/devrun.sh).
#                               Runs `up 0` first when there is no lab; refuses when a campus is
#                               up; returns once every roster port listens (at most 60 s).
#                               Config: /etc/netns/alab-cNAME (/etc inside); state, logs, PIDs:
#                               /run/alab/NAME (bytes received: pjl.log, lpd.log, pjlink.log).
#                               Check it against the roster from the scanner namespace:
#                               scripts/lab.sh run /usr/bin/python3 scripts/lab/campus-check.py
#   scripts/lab.sh routed [N]   a routed segment behind a router: namespace alab-rtr (eth0
#                               198.18.0.254/16 on the bridge, eth1 198.19.0.1/24, forwarding on
#                               in its own namespace only) and N hosts alab-rK (default 3, at
#                               most 50) at 198.19.0.(10+K)/24 routed through it; host 1 holds
#                               TCP 80 open (scripts/lab/listen.py), the others answer ping only.
#                               The scanner gets the route 198.19.0.0/24 via 198.18.0.254
#   scripts/lab.sh status       lab namespaces, and whether each recorded PID is alive (exit 1
#                               if one is not)
#   scripts/lab.sh down         kills only the PIDs recorded in /run/alab/*/*.pid (each checked
#                               to live in its lab namespace), removes every alab-* namespace
#                               (and with them the links), /etc/netns/alab-* and /run/alab
#   scripts/lab.sh run CMD...   runs CMD inside the scanner namespace
set -euo pipefail
prefix=alab
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
roster=$here/lab-campus.tsv
state=/run/$prefix
py=/usr/bin/python3 # Debian's, whatever python3 PATH finds first
ouis=(3c:d9:2b 00:1b:a9 00:00:48)
mac() { printf '%s:00:00:%02x' "${ouis[$((($1 - 1) % 3))]}" "$1"; }

# PID is alive (not a zombie) and inside network namespace NS.
alive_in() {
    local pid=$1 ns=$2 st
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    st=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
    [ -n "$st" ] && [ "$st" != Z ] || return 1
    [ -e "/run/netns/$ns" ] || return 1
    [ "$(stat -L -c %d:%i "/proc/$pid/ns/net" 2>/dev/null)" = "$(stat -L -c %d:%i "/run/netns/$ns")" ]
}
# Every recorded process: lines "DIR NETNS LABEL PID".
recorded() {
    local d f
    [ -d $state ] || return 0
    for d in $state/*/; do
        [ -f "$d/netns" ] || continue
        for f in "$d"*.pid; do
            [ -f "$f" ] || continue
            echo "$(basename "$d") $(cat "$d/netns") $(basename "$f" .pid) $(cat "$f")"
        done
    done
}
down() {
    local dir ns label pid n live i
    local -a pids=() nss=()
    while read -r dir ns label pid; do
        if alive_in "$pid" "$ns"; then
            kill -TERM "$pid" 2>/dev/null || true
            pids+=("$pid")
            nss+=("$ns")
        fi
    done < <(recorded)
    for ((n = 0; n < 50 && ${#pids[@]} > 0; n++)); do # up to 5 s to exit, then SIGKILL
        live=0
        for i in "${!pids[@]}"; do alive_in "${pids[$i]}" "${nss[$i]}" && live=1; done
        ((live)) || break
        sleep 0.1
    done
    for i in "${!pids[@]}"; do
        alive_in "${pids[$i]}" "${nss[$i]}" && kill -KILL "${pids[$i]}" 2>/dev/null || true
    done
    # Children (smbd's helpers, sshd sessions) end with their daemon; anything still in a lab
    # namespace after 2 s was not started by this script's records: named, never killed.
    local left=""
    for ((n = 0; n < 20; n++)); do
        left=$(for ns in $(ip netns list | awk '{print $1}' | grep "^$prefix-" || true); do ip netns pids "$ns"; done)
        [ -z "$left" ] && break
        sleep 0.1
    done
    [ -z "$left" ] || echo "lab: not started by lab.sh, still in lab namespaces (left running): $(echo $left)" >&2
    for ns in $(ip netns list | awk '{print $1}' | grep "^$prefix-" || true); do
        ip netns del "$ns"
    done
    rm -rf /etc/netns/$prefix-* $state
    rmdir /etc/netns 2>/dev/null || true
}
up() {
    local hosts=${1:-8}
    [[ $hosts =~ ^[0-9]+$ ]] && ((hosts >= 0 && hosts <= 200)) || { echo "lab: HOSTS must be 0...200" >&2; exit 2; }
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
# Waits (bounded) until every FILE exists.
await_files() {
    local n f missing
    for ((n = 0; n < 200; n++)); do
        missing=0
        for f in "$@"; do [ -e "$f" ] || { missing=1; break; }; done
        ((missing)) || return 0
        sleep 0.1
    done
    return 1
}
routed() {
    local n=${1:-3} k d
    [[ $n =~ ^[0-9]+$ ]] && ((n >= 1 && n <= 50)) || { echo "lab: N must be 1...50" >&2; exit 2; }
    [ -e /run/netns/$prefix-scan ] || up 0
    ip netns add $prefix-rtr
    ip netns add $prefix-net2
    ip -n $prefix-net2 link add br1 type bridge
    ip -n $prefix-net2 link set br1 up
    ip link add eth0 netns $prefix-rtr type veth peer name prtr netns $prefix-net
    ip -n $prefix-net link set prtr master br0 up
    ip -n $prefix-rtr link set eth0 address 00:1b:a9:fe:00:01 up
    ip -n $prefix-rtr addr add 198.18.0.254/16 dev eth0
    ip link add eth1 netns $prefix-rtr type veth peer name q0 netns $prefix-net2
    ip -n $prefix-net2 link set q0 master br1 up
    ip -n $prefix-rtr link set eth1 up
    ip -n $prefix-rtr addr add 198.19.0.1/24 dev eth1
    ip -n $prefix-rtr link set lo up
    # Forwarding is a per-namespace setting: this changes the router namespace only.
    ip netns exec $prefix-rtr sysctl -q -w net.ipv4.ip_forward=1
    ip -n $prefix-scan route add 198.19.0.0/24 via 198.18.0.254
    for ((k = 1; k <= n; k++)); do
        ip netns add $prefix-r$k
        ip link add eth0 netns $prefix-r$k type veth peer name q$k netns $prefix-net2
        ip -n $prefix-net2 link set q$k master br1 up
        ip -n $prefix-r$k link set eth0 address "$(printf '3c:d9:2b:fe:00:%02x' "$k")" up
        ip -n $prefix-r$k addr add "198.19.0.$((k + 10))/24" dev eth0
        ip -n $prefix-r$k link set lo up
        ip -n $prefix-r$k route add default via 198.19.0.1
    done
    d=$state/routed-r1
    mkdir -p "$d"
    echo $prefix-r1 >"$d/netns"
    setsid ip netns exec $prefix-r1 $py "$here/lab/listen.py" --ready "$d/ready" 80 </dev/null >"$d/listen.log" 2>&1 &
    echo $! >"$d/listen.pid"
    for ((k = 0; k < 50; k++)); do
        [ -e "$d/ready" ] && break
        sleep 0.1
    done
}
many() {
    local n=${1:-4080}
    [[ $n =~ ^[0-9]+$ ]] && ((n >= 1 && n <= 16000)) || { echo "lab: N must be 1...16000" >&2; exit 2; }
    local groups=$(((n + 249) / 250)) g i batch d
    local -a ready=()
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
        d=$state/bulk-m$g
        mkdir -p "$d"
        echo $prefix-m$g >"$d/netns"
        setsid ip netns exec $prefix-m$g $py "$here/lab/listen.py" --ready "$d/ready" 9100 80 \
            </dev/null >"$d/listen.log" 2>&1 &
        echo $! >"$d/listen.pid"
        ready+=("$d/ready")
    done
    await_files "${ready[@]}" || { echo "lab: bulk listeners not ready after 20 s (see $state/bulk-m*/listen.log)" >&2; exit 1; }
}

# ---- campus ---------------------------------------------------------------------------------
xml() { local s=${1//&/&amp;}; s=${s//</&lt;}; printf '%s' "${s//>/&gt;}"; }
# The roster without comments and header, fields joined by \x1f (IFS keeps empty fields).
roster_rows() { awk -F'\t' 'NR > 1 && NF && $1 !~ /^#/ { $1 = $1; print }' OFS=$'\x1f' "$roster"; }
check_roster() {
    local head want=$'name\tip\tmac\tclass\tfax_capable\tvendor\tmodel\tsnmprec\tdaemons\ttcp_ports\tudp_ports\thostname'
    head=$(head -1 "$roster")
    [ "$head" = "$want" ] || { echo "lab: $roster: header must be: $want" >&2; exit 2; }
    local line=1 name ip mac class fax vendor model snmprec daemons tcp udp host rest
    local -A seen=()
    while IFS=$'\x1f' read -r -u 3 name ip mac class fax vendor model snmprec daemons tcp udp host rest; do
        line=$((line + 1))
        local at="lab: $roster: device '$name':"
        [[ $name =~ ^[a-z][a-z0-9-]{0,11}$ && $name != bulk-* ]] || { echo "$at name must be [a-z][a-z0-9-], at most 12" >&2; exit 2; }
        [ -z "${seen[$name]:-}" ] || { echo "$at name repeated" >&2; exit 2; }
        seen[$name]=1
        [[ $ip =~ ^198\.18\.1\.([0-9]+)$ ]] && ((BASH_REMATCH[1] >= 2 && BASH_REMATCH[1] <= 254)) ||
            { echo "$at ip must be in 198.18.1.2-254" >&2; exit 2; }
        [[ $mac =~ ^[0-9a-f]{2}(:[0-9a-f]{2}){5}$ ]] && ((((16#${mac:0:2}) & 3) == 0)) ||
            { echo "$at mac must be lower-case, unicast, globally administered" >&2; exit 2; }
        [[ $class =~ ^(printer|mfp|fax|display|pc|server|network|other)$ ]] || { echo "$at bad class '$class'" >&2; exit 2; }
        [[ $fax =~ ^(yes|no)$ ]] || { echo "$at fax_capable must be yes or no" >&2; exit 2; }
        [[ $snmprec == - || -z $recordings || -f $recordings/$snmprec ]] || { echo "$at no recording $recordings/$snmprec" >&2; exit 2; }
        [[ $snmprec == - || -n $recordings ]] || grep -q "^$name"$'\t' "$agents" || { echo "$at no SNMP rows for $name in $agents" >&2; exit 2; }
        [[ $daemons =~ ^(snmpsimd|pjl|lpd|ippeveprinter|avahi|hfaxd|faxq|gmediarender|pjlink|nmbd|smbd|sshd|https)(,(snmpsimd|pjl|lpd|ippeveprinter|avahi|hfaxd|faxq|gmediarender|pjlink|nmbd|smbd|sshd|https))*$ ]] ||
            { echo "$at unknown daemon in '$daemons'" >&2; exit 2; }
        [[ $tcp =~ ^(-|[0-9]+(,[0-9]+)*)$ && $udp =~ ^(-|[0-9]+(,[0-9]+)*)$ ]] || { echo "$at ports must be N,N,... or -" >&2; exit 2; }
        [[ $host =~ ^(-|[A-Za-z0-9][A-Za-z0-9-]{0,14})$ ]] || { echo "$at hostname must be - or a NetBIOS-size label" >&2; exit 2; }
        [ -z "$rest" ] || { echo "$at more than 12 fields" >&2; exit 2; }
    done 3< <(roster_rows)
}
has() { [[ ",$1," == *",$2,"* ]]; }
# spawn NAME LABEL HOST CMD...: CMD as a daemon of device NAME, its PID recorded in LABEL.pid.
spawn() {
    local name=$1 label=$2 host=$3
    shift 3
    # setsid: each daemon in its own session and process group. Some daemons signal their whole
    # process group when they stop; without this, that group is the caller's (a test, a shell).
    setsid ip netns exec $prefix-c"$name" unshare -m -u --propagation private "$here/lab/devrun.sh" "$name" "$host" "$@" \
        </dev/null >>"$state/$name/$label.log" 2>&1 &
    echo $! >"$state/$name/$label.pid"
}
avahi_conf() { # NAME HOST WORKSTATION(yes|no)
    local etc=/etc/netns/$prefix-c$1/avahi
    mkdir -p "$etc/services"
    cat >"$etc/avahi-daemon.conf" <<EOF
# lab device $1 (scripts/lab.sh campus)
[server]
host-name=$2
domain-name=local
use-ipv4=yes
use-ipv6=no
allow-interfaces=eth0
enable-dbus=no
ratelimit-interval-usec=1000000
ratelimit-burst=1000
[wide-area]
enable-wide-area=no
[publish]
publish-addresses=yes
publish-hinfo=no
publish-workstation=$3
publish-domain=yes
[reflector]
enable-reflector=no
EOF
}
start_printer() { # NAME IP VENDOR MODEL FAX DAEMONS HOST CLASS
    local name=$1 ip=$2 vendor=$3 model=$4 fax=$5 daemons=$6 host=$7 class=$8 d=$state/$1
    local product="$vendor${model:+ $model}" faxtxt=F scan=F
    [ "$fax" = yes ] && faxtxt=T
    [ "$class" = mfp ] && scan=T
    if has "$daemons" pjl || has "$daemons" lpd; then
        local -a logs=()
        has "$daemons" pjl && logs+=(--pjl-log "$d/pjl.log")
        has "$daemons" lpd && logs+=(--lpd-log "$d/lpd.log")
        : >"$d/pjl.log"
        : >"$d/lpd.log"
        spawn "$name" pjl "$host" $py "$here/lab/pjl.py" --model "$product" "${logs[@]}" --ready "$d/pjl.ready"
    fi
    if has "$daemons" ippeveprinter; then
        # -r off: no DNS-SD registration of its own (avahi-daemon below publishes the printer's
        # services from static files, off D-Bus). ippeveprinter still opens an avahi client at
        # start and exits unless a D-Bus system bus answers, so the device gets a private one
        # (dbus-daemon --system in the device's own /run; nothing else uses it).
        mkdir -p "$d/ipp-spool" "$d/run/dbus"
        spawn "$name" dbus "$host" dbus-daemon --system --nofork --nopidfile --nosyslog
        await_files "$d/run/dbus/system_bus_socket" || { echo "lab: $name: no D-Bus socket (see $d/dbus.log)" >&2; exit 1; }
        spawn "$name" ippeveprinter "$host" ippeveprinter -M "$vendor" -m "$model" -p 631 -r off \
            -k -d "$d/ipp-spool" -l "lab $name" "$product"
    fi
    if has "$daemons" avahi; then
        avahi_conf "$name" "$host" no
        local txt=(txtvers=1 qtotal=1 "ty=$product" "product=($model)" "usb_MFG=$vendor" "usb_MDL=$model")
        {
            printf '<?xml version="1.0" standalone="no"?>\n<!DOCTYPE service-group SYSTEM "avahi-service.dtd">\n'
            printf '<service-group>\n  <name>%s</name>\n' "$(xml "$product")"
            printf '  <service>\n    <type>_ipp._tcp</type>\n    <port>631</port>\n'
            for t in "${txt[@]}" rp=ipp/print pdl=application/pdf,image/jpeg,image/pwg-raster "Fax=$faxtxt" "Scan=$scan"; do
                printf '    <txt-record>%s</txt-record>\n' "$(xml "$t")"
            done
            printf '  </service>\n  <service>\n    <type>_pdl-datastream._tcp</type>\n    <port>9100</port>\n'
            for t in "${txt[@]}"; do printf '    <txt-record>%s</txt-record>\n' "$(xml "$t")"; done
            printf '  </service>\n  <service>\n    <type>_printer._tcp</type>\n    <port>515</port>\n'
            for t in "${txt[@]}" rp=lp "Fax=$faxtxt"; do printf '    <txt-record>%s</txt-record>\n' "$(xml "$t")"; done
            printf '  </service>\n</service-group>\n'
        } >"/etc/netns/$prefix-c$name/avahi/services/printer.service"
        spawn "$name" avahi "$host" avahi-daemon --no-rlimits --no-chroot
    fi
}
start_fax() { # NAME HOST DAEMONS
    local name=$1 host=$2 daemons=$3 d=$state/$1 s=$state/$1/spool sub
    # A private HylaFAX spool (hfaxd and faxq work relative to it, -q): the queue dirs, etc/
    # with the packaged configs (Debian keeps them in /etc/hylafax and bind-mounts them into
    # the spool; /usr/sbin/hfaxd is the real binary), bin/ the packaged scripts.
    for sub in archive client dev docq doneq etc info log pollq recvq sendq status tmp; do mkdir -p "$s/$sub"; done
    cp /etc/hylafax/hfaxd.conf /etc/hylafax/hosts.hfaxd /etc/hylafax/config "$s/etc/"
    [ -f /etc/hylafax/setup.cache ] && cp /etc/hylafax/setup.cache "$s/etc/"
    ln -s /var/spool/hylafax/bin "$s/bin"
    ln -s /var/spool/hylafax/config "$s/config"
    chown -R uucp:uucp "$s"
    chmod 600 "$s/etc/hosts.hfaxd"
    has "$daemons" faxq && spawn "$name" faxq "$host" /usr/sbin/faxq -D -q "$s"
    has "$daemons" hfaxd && spawn "$name" hfaxd "$host" /usr/sbin/hfaxd -d -q "$s" -i 4559
    return 0
}
start_display() { # NAME IP VENDOR MODEL HOST DAEMONS
    local name=$1 ip=$2 vendor=$3 model=$4 host=$5 daemons=$6 d=$state/$1 uuid
    if has "$daemons" gmediarender; then
        uuid=$(printf '%s' "$name" | md5sum | sed -E 's/^(.{8})(.{4})(.{4})(.{4})(.{12}).*/\1-\2-\3-\4-\5/')
        spawn "$name" gmediarender "$host" env GST_REGISTRY="$d/gst-registry.bin" XDG_CACHE_HOME="$d/home" \
            gmediarender -I eth0 -p 49152 -u "$uuid" -f "$vendor $model" \
            --gstout-audiosink=fakesink --gstout-videosink=fakesink --logfile=stderr
    fi
    if has "$daemons" pjlink; then
        spawn "$name" pjlink "$host" $py "$here/lab/pjlink.py" --name "$host" --maker "${vendor^^}" \
            --model "$model" --log "$d/pjlink.log" --ready "$d/pjlink.ready"
    fi
}
start_samba() { # NAME HOST DAEMONS
    local name=$1 host=$2 daemons=$3 d=$state/$1/samba etc=/etc/netns/$prefix-c$1/samba
    # nmbd's socket dir is fixed at build time (/run/samba/nmbd): the device's own /run has it.
    mkdir -p "$etc" "$d"/{lock,state,cache,private,pid,ncalrpc,binddns,log} "$state/$name/run/samba"
    chmod 700 "$d/private"
    cat >"$etc/smb.conf" <<EOF
# lab device $name (scripts/lab.sh campus): a Windows-like office PC
[global]
   workgroup = CAMPUS
   netbios name = $host
   server string = Accounting office PC
   server role = standalone server
   interfaces = eth0
   bind interfaces only = yes
   map to guest = bad user
   lock directory = $d/lock
   state directory = $d/state
   cache directory = $d/cache
   private dir = $d/private
   pid directory = $d/pid
   ncalrpc dir = $d/ncalrpc
   binddns dir = $d/binddns
   log file = $d/log/%m.log
   max log size = 1000
   logging = file
   load printers = no
   printing = bsd
   printcap name = /dev/null
   disable spoolss = yes
   local master = yes
   os level = 20

[Public]
   path = $d/share
   read only = yes
   guest ok = yes
EOF
    mkdir -p "$d/share"
    has "$daemons" nmbd && spawn "$name" nmbd "$host" nmbd --foreground --no-process-group
    has "$daemons" smbd && spawn "$name" smbd "$host" smbd --foreground --no-process-group
    return 0
}
start_linuxpc() { # NAME HOST DAEMONS
    local name=$1 host=$2 daemons=$3 d=$state/$1
    if has "$daemons" sshd; then
        ssh-keygen -q -t ed25519 -N '' -C "$host" -f "$d/ssh_host_ed25519_key"
        ssh-keygen -q -t ecdsa -N '' -C "$host" -f "$d/ssh_host_ecdsa_key"
        mkdir -p "$d/run/sshd"
        cat >"$d/sshd_config" <<EOF
# lab device $name (scripts/lab.sh campus); /run is the device's own (/run/alab/$name/run)
Port 22
ListenAddress 0.0.0.0
HostKey $d/ssh_host_ed25519_key
HostKey $d/ssh_host_ecdsa_key
PidFile /run/sshd.pid
UsePAM no
PermitRootLogin no
PasswordAuthentication no
KbdInteractiveAuthentication no
AuthorizedKeysFile none
MaxStartups 10:30:60
LoginGraceTime 20
EOF
        spawn "$name" sshd "$host" /usr/sbin/sshd -D -e -f "$d/sshd_config"
    fi
    if has "$daemons" avahi; then
        avahi_conf "$name" "$host" yes
        cat >"/etc/netns/$prefix-c$name/avahi/services/ssh.service" <<'EOF'
<?xml version="1.0" standalone="no"?>
<!DOCTYPE service-group SYSTEM "avahi-service.dtd">
<service-group>
  <name replace-wildcards="yes">%h</name>
  <service>
    <type>_ssh._tcp</type>
    <port>22</port>
  </service>
  <service>
    <type>_sftp-ssh._tcp</type>
    <port>22</port>
  </service>
</service-group>
EOF
        spawn "$name" avahi "$host" avahi-daemon --no-rlimits --no-chroot
    fi
}
campus() {
    [ -z "${LAB_RECORDINGS:-}" ] || [ -n "$recordings" ] || { echo "lab: LAB_RECORDINGS=$LAB_RECORDINGS is not a folder" >&2; exit 2; }
    check_roster
    if ! ip netns list | grep -q "^$prefix-net\b"; then up 0; fi
    if ip netns list | grep -q "^$prefix-c"; then echo "lab: a campus is already up (scripts/lab.sh down first)" >&2; exit 2; fi
    local name ip mac class fax vendor model snmprec daemons tcp udp host rest ns k=0 d
    local -a names=()
    # 1. Namespaces and links, all first: daemons start on a ready network.
    while IFS=$'\x1f' read -r -u 3 name ip mac class fax vendor model snmprec daemons tcp udp host rest; do
        ns=$prefix-c$name
        ip netns add "$ns"
        ip link add eth0 netns "$ns" type veth peer name "pc-$name" netns $prefix-net
        ip -n $prefix-net link set "pc-$name" master br0 up
        ip -n "$ns" link set eth0 address "$mac" up
        ip -n "$ns" addr add "$ip/16" dev eth0
        ip -n "$ns" link set lo up
        d=$state/$name
        mkdir -p "$d/run/alab/$name" "$d/tmp" "$d/home" "/etc/netns/$ns"
        echo "$ns" >"$d/netns"
        names+=("$name")
    done 3< <(roster_rows)
    # 2. Daemons.
    while IFS=$'\x1f' read -r -u 3 name ip mac class fax vendor model snmprec daemons tcp udp host rest; do
        d=$state/$name
        if [ "$snmprec" != - ]; then
            # snmpsim takes the community from the file name: public.snmprec. The device's rows
            # of fixtures/lab/snmp-agents.tsv, or the real recording LAB_RECORDINGS names.
            mkdir -p "$d/snmp-data" "$d/snmp-cache"
            if [ -n "$recordings" ]; then
                ln -s "$recordings/$snmprec" "$d/snmp-data/public.snmprec"
            else
                awk -F'\t' -v n="$name" '$1 == n { print $2 "|" $3 "|" $4 }' "$agents" | sort -t. -k1,1n -k2,2n -k3,3n \
                    -k4,4n -k5,5n -k6,6n -k7,7n -k8,8n -k9,9n >"$d/snmp-data/public.snmprec"
            fi
            chown nobody:nogroup "$d/snmp-cache"
            spawn "$name" snmpsimd "$host" snmpsimd --data-dir="$d/snmp-data" --cache-dir="$d/snmp-cache" \
                --agent-udpv4-endpoint=0.0.0.0:161 --process-user=nobody --process-group=nogroup --logging-method=stderr
        fi
        # HTTPS on 443 (openssl s_server -www) with a self-signed certificate naming the device,
        # as printers and projectors ship them.
        if [[ ",$daemons," == *,https,* ]]; then
            openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/O=$vendor/CN=$host" \
                -keyout "$d/https.key" -out "$d/https.crt" 2>/dev/null
            spawn "$name" https "$host" openssl s_server -quiet -accept 443 -www -cert "$d/https.crt" -key "$d/https.key"
        fi
        case ",$daemons," in
        *,pjl,* | *,lpd,* | *,ippeveprinter,*) start_printer "$name" "$ip" "$vendor" "$model" "$fax" "$daemons" "$host" "$class" ;;
        *,hfaxd,* | *,faxq,*) start_fax "$name" "$host" "$daemons" ;;
        *,gmediarender,* | *,pjlink,*) start_display "$name" "$ip" "$vendor" "$model" "$host" "$daemons" ;;
        *,smbd,* | *,nmbd,*) start_samba "$name" "$host" "$daemons" ;;
        *,sshd,* | *,avahi,*) start_linuxpc "$name" "$host" "$daemons" ;;
        esac
    done 3< <(roster_rows)
    # 3. Wait (bounded, 60 s) until every device listens on its roster ports.
    local t n listening missing
    for ((t = 0; t < 120; t++)); do
        missing=()
        while IFS=$'\x1f' read -r -u 3 name ip mac class fax vendor model snmprec daemons tcp udp host rest; do
            listening=" $( (ss -N "$prefix-c$name" -Hltn; ss -N "$prefix-c$name" -Hlun) | awk '{n = split($4, a, ":"); printf "%s ", a[n]}')"
            for n in ${tcp//,/ } ${udp//,/ }; do
                [ "$n" = - ] || [[ $listening == *" $n "* ]] || missing+=("$name:$n")
            done
        done 3< <(roster_rows)
        ((${#missing[@]} == 0)) && break
        sleep 0.5
    done
    if ((${#missing[@]})); then
        echo "lab: campus not ready after 60 s, not listening: ${missing[*]} (logs: $state/NAME/*.log)" >&2
        status >&2 || true
        exit 1
    fi
    echo "campus: ${#names[@]} devices up (${names[*]})"
}
status() {
    local nss dir ns label pid bad=0
    nss=$(ip netns list | awk '{print $1}' | grep "^$prefix-" | sort -V || true)
    if [ -z "$nss" ]; then echo "no lab namespaces"; else echo "namespaces ($(echo "$nss" | wc -l)): $(echo $nss)"; fi
    printf '%-12s %-16s %-14s %8s  %s\n' device netns daemon pid state
    while read -r dir ns label pid; do
        if alive_in "$pid" "$ns"; then
            printf '%-12s %-16s %-14s %8s  %s\n' "$dir" "$ns" "$label" "$pid" alive
        else
            printf '%-12s %-16s %-14s %8s  %s\n' "$dir" "$ns" "$label" "$pid" DEAD
            bad=1
        fi
    done < <(recorded)
    return $bad
}
# What the SNMP devices answer: their rows of fixtures/lab/snmp-agents.tsv (shipped with the
# project), or, when LAB_RECORDINGS names a folder of .snmprec recordings (the lab test's), the
# recording the roster names.
agents=$here/../fixtures/lab/snmp-agents.tsv
recordings=
if [ -n "${LAB_RECORDINGS:-}" ]; then recordings=$(cd "$LAB_RECORDINGS" 2>/dev/null && pwd || true); fi
case "${1:-}" in
many) shift; many "$@" ;;
up) shift; up "$@" ;;
campus) campus ;;
routed) shift; routed "$@" ;;
status) status ;;
down) down ;;
mac) mac "$2" ;;
run) shift; exec ip netns exec $prefix-scan "$@" ;;
*) echo "usage: $0 up [HOSTS] | many N | campus | routed [N] | status | down | mac K | run CMD..." >&2; exit 2 ;;
esac
