// fuzz-modules: Wire
// libFuzzer target for the LLDP and CDP codecs (scripts/fuzz.sh).
// fuzz-seeds: ether:0x88cc snap:0x2000 frames:0x88cc

import Wire

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNeighbors(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? LLDPInfo.parse(bytes[...])
    _ = try? CDPInfo.parse(llc: ([0xAA, 0xAA, 0x03, 0, 0, 0x0C, 0x20, 0x00] + bytes)[...])
    _ = Frames.ethernet(linkType: 1, bytes)
    return 0
}
