import LedgerModel
// The wire codecs and probe readers live in `Wire` (no package dependencies, fuzzed on their
// own); re-exported so Discovery's files, the CLI and the tests see them through Discovery.
@_exported import Wire

/// ARP addresses as the ledger's `IPAddress`: `Wire` keeps them as `UInt32`.
extension ARPPacket {
    public var senderIP: IPAddress { IPAddress(v4: senderIPv4) }
    public var targetIP: IPAddress { IPAddress(v4: targetIPv4) }

    /// A broadcast Ethernet frame asking who has `target` (both IPv4).
    public static func requestFrame(senderMAC: [UInt8], senderIP: IPAddress, target: IPAddress) -> [UInt8] {
        precondition(senderIP.isV4 && target.isV4)
        return requestFrame(senderMAC: senderMAC, senderIPv4: senderIP.v4Value, targetIPv4: target.v4Value)
    }
}
