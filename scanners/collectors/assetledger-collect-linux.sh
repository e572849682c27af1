#!/bin/sh
# AssetLedger endpoint collector for Linux (POSIX sh; Debian/Ubuntu, RHEL/CentOS/Fedora, Arch).
# Writes one endpoint report (docs/endpoint-report.schema.json, schema version 1) to a file or
# to standard output, or POSTs it to the AssetLedger server with this collector's token.
#
#   assetledger-collect-linux.sh [--output FILE] [--post URL --token TOKEN]
#
# Reads: /etc/os-release, uname, /sys/class/dmi/id (serials need root), /etc/machine-id,
# ip addresses, the package database (dpkg, rpm or pacman), pending security updates from the
# local package lists (no network), and ClamAV's signature date when ClamAV is installed.
set -u
LC_ALL=C
export LC_ALL

OUTPUT=""
POST_URL=""
TOKEN=""
while [ $# -gt 0 ]; do
    case "$1" in
    --output) OUTPUT="$2"; shift 2 ;;
    --post) POST_URL="$2"; shift 2 ;;
    --token) TOKEN="$2"; shift 2 ;;
    -h | --help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
done
if [ -n "$POST_URL" ] && [ -z "$TOKEN" ]; then
    echo "--post needs --token (each collector has its own)" >&2
    exit 2
fi

# JSON string from $1 (escapes backslash, quote, tab, CR, LF; drops other control bytes).
js() {
    printf '%s' "$1" | tr -d '\000-\010\013\014\016-\037' | awk 'BEGIN { ORS = "" }
        { gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); gsub(/\t/, "\\t"); gsub(/\r/, "\\r")
          if (NR > 1) printf "\\n"; printf "%s", $0 }
        END { }' | { printf '"'; cat; printf '"'; }
}
# JSON string or null for an empty value.
jsn() { if [ -n "$1" ]; then js "$1"; else printf 'null'; fi; }
readf() { [ -r "$1" ] && tr -d '\000' <"$1" 2>/dev/null | head -n 1 | sed 's/[[:space:]]*$//'; }

# Awk program that turns tab-separated package lines (name, version, publisher, epoch
# seconds or empty, source) into JSON objects separated by commas.
PKG_AWK='
function esc(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); gsub(/[\001-\037]/, "", s); return s }
function q(s) { return (s == "") ? "null" : "\"" esc(s) "\"" }
BEGIN { FS = "\t"; n = 0 }
$1 != "" {
    date = "null"
    if ($4 ~ /^[0-9]+$/ && $4 > 0) { date = "\"" strftime("%Y-%m-%dT%H:%M:%SZ", $4, 1) "\"" }
    printf "%s{\"name\":%s,\"version\":%s,\"publisher\":%s,\"installed_at\":%s,\"source\":%s}", (n++ ? "," : ""), q($1), q($2), q($3), date, q($5)
}'

now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
host=$(hostname 2>/dev/null || readf /etc/hostname)
domain=$(hostname -d 2>/dev/null || true)

# Identity: firmware serials and UUID when the firmware gives them; otherwise the OS
# machine id stands in for the UUID (cloned images share it; the ledger notices).
dmi=/sys/class/dmi/id
serials=""
for f in product_serial board_serial chassis_serial; do
    v=$(readf "$dmi/$f")
    [ -n "$v" ] && serials="$serials${serials:+,}$(js "$v")"
done
uuid=$(readf "$dmi/product_uuid")
[ -z "$uuid" ] && uuid=$(readf /etc/machine-id)
vendor=$(readf "$dmi/sys_vendor")
model=$(readf "$dmi/product_name")

macs=""
for d in /sys/class/net/*; do
    [ -e "$d/address" ] || continue
    name=${d##*/}
    [ "$name" = lo ] && continue
    [ -e "$d/device" ] || continue # physical adapters only (no bridges, veth, tunnels)
    m=$(readf "$d/address")
    [ -n "$m" ] && [ "$m" != "00:00:00:00:00:00" ] && macs="$macs${macs:+,}$(js "$m")"
done
ips=""
if command -v ip >/dev/null 2>&1; then
    for a in $(ip -o addr show scope global 2>/dev/null | awk '{ split($4, p, "/"); print p[1] }'); do
        ips="$ips${ips:+,}$(js "$a")"
    done
fi

# Operating system.
os_name="" os_version=""
if [ -r /etc/os-release ]; then
    os_name=$(. /etc/os-release 2>/dev/null && printf '%s' "${PRETTY_NAME:-$NAME}")
    os_version=$(. /etc/os-release 2>/dev/null && printf '%s' "${VERSION_ID:-}")
fi
kernel=$(uname -r)
arch=$(uname -m)

# Installed software.
software=""
source=""
if command -v dpkg-query >/dev/null 2>&1; then
    source=deb
    software=$(dpkg-query -W -f='${db:Status-Abbrev}\t${Package}\t${Version}\t${Maintainer}\n' 2>/dev/null |
        awk -F'\t' '$1 ~ /^ii/ { m = $4; sub(/ *<.*/, "", m); print $2 "\t" $3 "\t" m "\t\tdeb" }' |
        awk "$PKG_AWK")
elif command -v rpm >/dev/null 2>&1; then
    source=rpm
    software=$(rpm -qa --qf '%{NAME}\t%{VERSION}-%{RELEASE}\t%{VENDOR}\t%{INSTALLTIME}\trpm\n' 2>/dev/null | awk "$PKG_AWK")
elif command -v pacman >/dev/null 2>&1; then
    source=pacman
    software=$(pacman -Q 2>/dev/null | awk '{ print $1 "\t" $2 "\tArch Linux\t\tpacman" }' | awk "$PKG_AWK")
fi

# Pending updates from the local package lists (simulation only: changes nothing).
pending=""
if [ "$source" = deb ] && command -v apt-get >/dev/null 2>&1; then
    pending=$(apt-get -s -o Debug::NoLocking=1 upgrade 2>/dev/null | awk '
        function esc(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return s }
        /^Inst / { sec = ($0 ~ /-security/) ? "true" : "false"
                   printf "%s{\"id\":\"%s\",\"title\":\"%s\",\"security\":%s}", (n++ ? "," : ""), esc($2), esc($0), sec }')
elif [ "$source" = rpm ] && command -v dnf >/dev/null 2>&1; then
    pending=$(timeout 60 dnf -q -C updateinfo list --security 2>/dev/null | awk '
        NF >= 3 { printf "%s{\"id\":\"%s\",\"title\":\"%s\",\"security\":true}", (n++ ? "," : ""), $3, $1 }')
fi

# Antivirus: ClamAV, the usual one on campus Linux desktops.
antivirus=""
if command -v clamscan >/dev/null 2>&1 || command -v clamdscan >/dev/null 2>&1; then
    v=$( (clamdscan --version 2>/dev/null || clamscan --version 2>/dev/null) | head -n 1) # ClamAV 1.0.7/27472/Tue Nov 26 09:33:11 2024
    product=$(printf '%s' "$v" | cut -d/ -f1 | sed 's/^ClamAV //')
    sigver=$(printf '%s' "$v" | cut -s -d/ -f2)
    sigdate=$(printf '%s' "$v" | cut -s -d/ -f3-)
    sigiso=""
    [ -n "$sigdate" ] && sigiso=$(date -u -d "$sigdate" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || true)
    running=false
    if pidof clamd >/dev/null 2>&1 || pidof freshclam >/dev/null 2>&1; then running=true; fi
    antivirus="{\"name\":\"ClamAV\",\"vendor\":\"Cisco Talos\",\"enabled\":$running,\"product_version\":$(jsn "$product"),\"signature_version\":$(jsn "$sigver"),\"signature_date\":$(jsn "$sigiso")}"
fi

report=$(cat <<JSON
{"schema":"assetledger-endpoint-report","schema_version":1,"agent":"assetledger-collect-linux 1","collected_at":"$now",
"identity":{"hostname":$(jsn "$host"),"domain":$(jsn "$domain"),"serials":[$serials],"smbios_uuid":$(jsn "$uuid"),"macs":[$macs],"ips":[$ips],"vendor":$(jsn "$vendor"),"model":$(jsn "$model")},
"os":{"name":$(jsn "$os_name"),"version":$(jsn "$os_version"),"kernel":$(jsn "$kernel"),"architecture":$(jsn "$arch")},
"pending_updates":[$pending],
"antivirus":[$antivirus],
"software":[$software]}
JSON
)

if [ -n "$POST_URL" ]; then
    printf '%s\n' "$report" | curl -sS --fail --max-time 60 -H "Authorization: Bearer $TOKEN" \
        -H 'Content-Type: application/json' --data-binary @- "$POST_URL" || exit 1
elif [ -n "$OUTPUT" ]; then
    printf '%s\n' "$report" >"$OUTPUT.tmp" && mv "$OUTPUT.tmp" "$OUTPUT"
else
    printf '%s\n' "$report"
fi
