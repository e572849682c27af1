// fuzz-modules: Wire
// libFuzzer target for the SMB2 negotiate and NTLM challenge readers (scripts/fuzz.sh).
// fuzz-seeds: tcp:445,139 questions:smb

import Wire

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSMB(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? SMBNegotiate.dialect(bytes)
    _ = try? SMBNegotiate.challenge(bytes)
    _ = try? SMBNegotiate.ntlmChallenge(bytes[...])
    _ = SMBNegotiate.isWhole(bytes)
    return 0
}
