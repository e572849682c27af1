// libFuzzer target for the DHCP codec (scripts/fuzz.sh).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDHCP(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? DHCPMessage.parse(bytes[...])
    return 0
}
