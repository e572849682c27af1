#!/usr/bin/python3
"""Checks a running campus (scripts/lab.sh campus) against its roster, from the scanner
namespace: every device answers as scripts/lab-campus.tsv says.

    scripts/lab.sh run /usr/bin/python3 scripts/lab/campus-check.py [ROSTER] [NAME...]

Per device, as its daemons column says: each roster TCP port accepts a connection; SNMP v2c
community public returns the recording's sysDescr (pysnmp, from Debian's python3-pysnmp4);
PJL `INFO ID` answers the quoted "vendor model"; LPD accepts; ippeveprinter's web page names the
printer; mDNS (unicast query to 5353) has the printer's _ipp._tcp TXT with ty= and Fax=T/F
matching fax_capable, or _ssh._tcp and _workstation._tcp; hfaxd greets "220 ... HylaFAX";
sshd greets SSH-2.0; PJLink greets "PJLINK 0" and names maker and model; SSDP M-SEARCH to the
device finds a MediaRenderer whose description's friendlyName is "vendor model"; NetBIOS
node status lists the host name. Finally the scanner's neighbour table must hold the roster
MAC for every device. Prints one line per device; exits 1 if any check failed. Bounded: every
socket has a timeout of at most 3 s.
"""
import os
import re
import socket
import struct
import sys
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
# The recordings the lab serves (lab-test.sh sets LAB_RECORDINGS).
FIXTURES = os.environ.get("LAB_RECORDINGS") or sys.exit("campus-check: set LAB_RECORDINGS to the recordings the lab serves")


def tcp(ip, port, send=b"", wait=1.5, limit=8192):
    s = socket.create_connection((ip, port), timeout=3)
    s.settimeout(wait)
    try:
        if send:
            s.sendall(send)
        out = b""
        while len(out) < limit:
            try:
                chunk = s.recv(4096)
            except socket.timeout:
                break
            if not chunk:
                break
            out += chunk
        return out
    finally:
        s.close()


def until(ip, port, send, done, wait=3.0):
    """Reads until done(bytes) or the wait runs out."""
    s = socket.create_connection((ip, port), timeout=3)
    s.settimeout(wait)
    out = b""
    try:
        if send:
            s.sendall(send)
        while len(out) < 8192 and not done(out):
            chunk = s.recv(4096)
            if not chunk:
                break
            out += chunk
    except socket.timeout:
        pass
    finally:
        s.close()
    return out


def snmp_sysdescr(ip):
    from pysnmp.hlapi import (CommunityData, ContextData, ObjectIdentity, ObjectType, SnmpEngine,
                              UdpTransportTarget, getCmd)
    err, status, _, binds = next(getCmd(
        SnmpEngine(), CommunityData("public", mpModel=1), UdpTransportTarget((ip, 161), timeout=2, retries=1),
        ContextData(), ObjectType(ObjectIdentity("1.3.6.1.2.1.1.1.0"))))
    if err or status:
        raise RuntimeError("SNMP: %s" % (err or status.prettyPrint()))
    return binds[0][1].asOctets()


def recorded_sysdescr(snmprec):
    with open(os.path.join(FIXTURES, snmprec), encoding="utf-8", errors="replace") as f:
        for line in f:
            oid, tag, value = line.rstrip("\n").split("|", 2)
            if oid == "1.3.6.1.2.1.1.1.0":
                return bytes.fromhex(value) if tag.endswith("x") else value.encode("utf-8")
    return None


def dns_name(data, o):
    parts, end = [], None
    for _ in range(64):
        n = data[o]
        if n == 0:
            o += 1
            break
        if n & 0xC0 == 0xC0:
            end = o + 2 if end is None else end
            o = ((n & 0x3F) << 8) | data[o + 1]
            continue
        parts.append(data[o + 1:o + 1 + n].decode("utf-8", "replace"))
        o += 1 + n
    return ".".join(parts), (end if end is not None else o)


def mdns(ip, name, qtype):
    """Unicast (legacy) mDNS query; returns [(name, type, rdata offset, rdata, packet)]."""
    query = struct.pack(">HHHHHH", 0x4c41, 0, 1, 0, 0, 0)
    query += b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0"
    query += struct.pack(">HH", qtype, 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2)
    try:
        s.sendto(query, (ip, 5353))
        data, _ = s.recvfrom(9000)
    finally:
        s.close()
    counts = struct.unpack(">HHHH", data[4:12])
    o = 12
    for _ in range(counts[0]):
        _, o = dns_name(data, o)
        o += 4
    records = []
    for _ in range(sum(counts[1:])):
        rname, o = dns_name(data, o)
        rtype, _, _, length = struct.unpack(">HHIH", data[o:o + 10])
        o += 10
        records.append((rname, rtype, o, data[o:o + length], data))
        o += length
    return records


def txt(rdata):
    out, i = [], 0
    while i < len(rdata):
        out.append(rdata[i + 1:i + 1 + rdata[i]].decode("utf-8", "replace"))
        i += 1 + rdata[i]
    return out


def ptrs(ip, name):
    return [dns_name(pkt, off)[0] for _, t, off, _, pkt in mdns(ip, name, 12) if t == 12]


def nbstat_names(ip):
    query = struct.pack(">HHHHHH", 0x4c41, 0, 1, 0, 0, 0) + b"\x20" + b"CK" + b"A" * 30 + b"\0" + struct.pack(">HH", 0x21, 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2)
    try:
        s.sendto(query, (ip, 137))
        data, _ = s.recvfrom(2048)
    finally:
        s.close()
    _, o = dns_name(data, 12)
    o += 10
    count = data[o]
    return [data[o + 1 + 18 * i:o + 1 + 18 * i + 15].decode("ascii", "replace").strip() for i in range(count)]


def ssdp_location(ip):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(3)
    try:
        s.sendto(b'M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nMX: 1\r\n'
                 b"ST: urn:schemas-upnp-org:device:MediaRenderer:1\r\n\r\n", (ip, 1900))
        data, _ = s.recvfrom(4096)
    finally:
        s.close()
    m = re.search(rb"(?im)^location:\s*(\S+)", data)
    if not m:
        raise RuntimeError("SSDP answer without LOCATION")
    return m.group(1).decode()


def check(row):
    has = set(row["daemons"].split(","))
    ip, product = row["ip"], ("%s %s" % (row["vendor"], row["model"])).strip()
    done = []

    def expect(cond, what):
        if not cond:
            raise RuntimeError(what)
        done.append(what.split(":")[0])

    for port in ([] if row["tcp_ports"] == "-" else row["tcp_ports"].split(",")):
        socket.create_connection((ip, int(port)), timeout=3).close()
    if row["tcp_ports"] != "-":
        done.append("tcp " + row["tcp_ports"])
    if row["snmprec"] != "-":
        got, want = snmp_sysdescr(ip), recorded_sysdescr(row["snmprec"])
        expect(got == want, "snmp: sysDescr %r, recording says %r" % (got[:60], (want or b"")[:60]))
    if "pjl" in has:
        got = until(ip, 9100, b"\x1b%-12345X@PJL INFO ID\r\n\x1b%-12345X", lambda b: b.endswith(b"\x0c"))
        expect(got == b'@PJL INFO ID\r\n"' + product.encode() + b'"\r\n\x0c', "pjl: INFO ID answered %r" % got)
    if "lpd" in has:
        expect(tcp(ip, 515, b"", wait=0.5) == b"", "lpd: must not speak first")
    if "ippeveprinter" in has:
        with urllib.request.urlopen("http://%s:631/" % ip, timeout=3) as r:
            page = r.read(65536).decode("utf-8", "replace")
        expect(product in page, "ipp: web page does not name %r" % product)
    if "avahi" in has and "pjl" in has:
        records = mdns(ip, "%s._ipp._tcp.local" % product, 16)
        values = [v for _, t, _, rd, _ in records if t == 16 for v in txt(rd)]
        fax = "Fax=T" if row["fax_capable"] == "yes" else "Fax=F"
        expect("ty=" + product in values and fax in values, "mdns: _ipp._tcp TXT %r" % values)
    elif "avahi" in has:
        expect(ptrs(ip, "_ssh._tcp.local") and ptrs(ip, "_workstation._tcp.local"), "mdns: _ssh/_workstation missing")
    if "hfaxd" in has:
        got = until(ip, 4559, b"", lambda b: b"\n" in b)
        expect(got.startswith(b"220 ") and b"HylaFAX" in got, "hfaxd: banner %r" % got)
    if "sshd" in has:
        got = until(ip, 22, b"", lambda b: b"\n" in b)
        expect(got.startswith(b"SSH-2.0-"), "sshd: banner %r" % got)
    if "pjlink" in has:
        got = until(ip, 4352, b"%1INF1 ?\r%1INF2 ?\r%1CLSS ?\r", lambda b: b.count(b"\r") >= 4)
        want = b"PJLINK 0\r%1INF1=" + row["vendor"].upper().encode() + b"\r%1INF2=" + row["model"].encode() + b"\r%1CLSS=1\r"
        expect(got == want, "pjlink: answered %r" % got)
    if "gmediarender" in has:
        with urllib.request.urlopen(ssdp_location(ip), timeout=3) as r:
            desc = r.read(65536).decode("utf-8", "replace")
        expect("<friendlyName>%s</friendlyName>" % product in desc and "MediaRenderer" in desc,
               "upnp: description lacks friendlyName %r" % product)
    if "nmbd" in has:
        names = nbstat_names(ip)
        expect(row["hostname"].upper() in names, "nbstat: names %r" % names)
    return done


def main():
    args = sys.argv[1:]
    roster = args.pop(0) if args and args[0].endswith(".tsv") else os.path.join(HERE, "..", "lab-campus.tsv")
    with open(roster, encoding="utf-8") as f:
        lines = [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]
    header = lines[0].split("\t")
    rows = [dict(zip(header, l.split("\t"))) for l in lines[1:]]
    rows = [r for r in rows if not args or r["name"] in args]
    failed = set()
    for row in rows:
        try:
            done = check(row)
            print("ok    %-10s %-12s %s" % (row["name"], row["ip"], ", ".join(done)))
        except Exception as e:  # one line per device, whatever failed
            failed.add(row["name"])
            print("FAIL  %-10s %-12s %s: %s" % (row["name"], row["ip"], type(e).__name__, e))
    arp = {}
    with open("/proc/net/arp") as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            arp[fields[0]] = fields[3]
    for row in rows:
        if arp.get(row["ip"]) != row["mac"]:
            failed.add(row["name"])
            print("FAIL  %-10s %-12s neighbour table has MAC %s, roster %s" % (row["name"], row["ip"], arp.get(row["ip"]), row["mac"]))
    print("%d of %d devices as the roster says (MACs included)" % (len(rows) - len(failed), len(rows)))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
