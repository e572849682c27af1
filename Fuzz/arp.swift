// fuzz-modules: Wire
// libFuzzer target for the ARP codec (scripts/fuzz.sh).
// fuzz-seeds: frames:0x0806 ether:0x0806

import Wire

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzARP(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? ARPPacket.parse(linkType: 1, frame: bytes)
    _ = try? ARPPacket.parse(bytes[...])
    return 0
}
