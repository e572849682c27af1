// fuzz-modules: Wire
// libFuzzer target for the probe answer readers and the TCP header reader (scripts/fuzz.sh):
// the same bytes as a captured frame, an SNMP/DNS-SD/NetBIOS/IPP/SSDP answer, a UPnP
// description and a PJLink exchange.
// fuzz-seeds: frames:tcp udp:161,137,5353,1900 tcp:80,631,4352 snmprec questions:snmp questions:ipp

import Wire

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAnswers(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = TCPSegmentHead.parse(linkType: 1, bytes)
    _ = TCPSegmentHead.parse(linkType: 113, bytes)
    if let m = try? SNMPMessage.parse(bytes[...]) { _ = ProbeAnswers.snmp(m) }
    if let m = try? DNSMessage.parse(bytes[...]) { _ = ProbeAnswers.dnssd(m) }
    if let m = try? NBNSInfo.parse(bytes[...]) { _ = ProbeAnswers.nbns(m) }
    if let m = try? IPPMessage.parse(bytes[...]) { _ = ProbeAnswers.ipp(m) }
    if let h = try? HTTPHead.parse(bytes[...]) { _ = ProbeAnswers.ssdp(h) }
    _ = ProbeAnswers.upnpDescription(bytes[...])
    _ = ProbeAnswers.pjlink(String(decoding: bytes, as: UTF8.self))
    return 0
}
