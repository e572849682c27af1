// fuzz-modules: Wire
// libFuzzer target for the DNS/mDNS codec and frame decoding (scripts/fuzz.sh).
// fuzz-seeds: udp:53,5353,5355,8053 frames:udp questions:dns

import Wire

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDNS(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? DNSMessage.parse(bytes[...])
    _ = Frames.udp(linkType: 1, bytes)
    _ = Frames.udp(linkType: 113, bytes)
    return 0
}
