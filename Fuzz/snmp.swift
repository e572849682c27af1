// fuzz-modules: Wire
// libFuzzer target for the SNMP codec and its column walk (scripts/fuzz.sh).
// fuzz-seeds: udp:161,162 snmprec questions:snmp

import Wire

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSNMP(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let m = try? SNMPMessage.parse(bytes[...]) { _ = m.walk(column: ProbeRequests.ifTypeColumn) }
    return 0
}
