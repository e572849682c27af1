// fuzz-modules: Wire
// libFuzzer target for the IPP codec (scripts/fuzz.sh).
// fuzz-seeds: tcp:631 questions:ipp

import Wire

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIPP(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? IPPMessage.parse(bytes[...])
    return 0
}
