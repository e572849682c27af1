// fuzz-modules: Wire
// libFuzzer target for the SNMP codec (scripts/fuzz.sh).
// fuzz-seeds: udp:161,162 snmprec questions:snmp

import Wire

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSNMP(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? SNMPMessage.parse(bytes[...])
    return 0
}
