// fuzz-modules: Wire
// libFuzzer target for the probe answer readers and the TCP header reader (scripts/fuzz.sh):
// the same bytes as a captured frame, an SNMP/DNS-SD/NetBIOS/IPP/SSDP answer, a UPnP
// description and a PJLink exchange; an SNMP answer also as the GETBULK walk of ifType.
// fuzz-seeds: frames:tcp udp:161,137,5353,1900 tcp:80,631,4352 snmprec questions:snmp questions:ipp

import Wire

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAnswers(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = TCPSegmentHead.parse(linkType: 1, bytes)
    _ = TCPSegmentHead.parse(linkType: 113, bytes)
    if let m = try? SNMPMessage.parse(bytes[...]) {
        _ = ProbeAnswers.snmp(m)
        // The GETBULK answer's path: the ifType column walk, counted, and its text read back.
        let counts = ProbeAnswers.interfaceTypeCounts(m.walk(column: ProbeRequests.ifTypeColumn).rows)
        if let text = ProbeAnswers.snmpInterfaces(counts).first("snmp.ifTypes") {
            _ = ProbeAnswers.interfaceTypeCounts(text)
        }
    }
    _ = ProbeAnswers.interfaceTypeCounts(String(decoding: bytes, as: UTF8.self))
    if let m = try? DNSMessage.parse(bytes[...]) { _ = ProbeAnswers.dnssd(m) }
    if let m = try? NBNSInfo.parse(bytes[...]) { _ = ProbeAnswers.nbns(m) }
    if let m = try? IPPMessage.parse(bytes[...]) { _ = ProbeAnswers.ipp(m) }
    if let h = try? HTTPHead.parse(bytes[...]) { _ = ProbeAnswers.ssdp(h) }
    _ = ProbeAnswers.upnpDescription(bytes[...])
    _ = ProbeAnswers.pjlink(String(decoding: bytes, as: UTF8.self))
    return 0
}
