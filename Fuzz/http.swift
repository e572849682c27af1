// fuzz-modules: Wire
// libFuzzer target for the HTTP/SSDP head parser (scripts/fuzz.sh).
// fuzz-seeds: tcp:80,8080,1900 udp:1900 questions:http

import Wire

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTP(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let head = try? HTTPHead.parse(bytes[...]) { _ = HTTPHead.title(head.body) }
    _ = HTTPHead.title(bytes[...])
    return 0
}
