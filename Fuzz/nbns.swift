// fuzz-modules: Wire
// libFuzzer target for the NetBIOS name service codec (scripts/fuzz.sh).
// fuzz-seeds: udp:137,138 questions:nbns

import Wire

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNBNS(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? NBNSInfo.parse(bytes[...])
    return 0
}
