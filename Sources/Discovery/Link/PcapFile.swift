import CPcap
import Foundation
import LedgerModel

/// A packet as libpcap gives it: when, the link type, and the captured bytes.
public struct CapturedPacket: Sendable {
    public var time: Date
    /// DLT_* link-layer type of the capture (1 = Ethernet).
    public var linkType: Int32
    public var bytes: [UInt8]
    /// The length on the wire (may exceed what was captured).
    public var originalLength: Int
}

/// Reads a capture file (pcap or pcapng) through libpcap.
public enum PcapFile {
    /// Every packet of the file, at most `limit` (memory stays bounded on hostile files).
    public static func packets(_ path: String, limit: Int = 1_000_000) throws -> [CapturedPacket] {
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard let handle = pcap_open_offline(path, &errorBuffer) else {
            throw InputError(
                file: path, line: nil,
                reason:
                    "libpcap cannot read it: \(LiveCapture.text(errorBuffer))"
            )
        }
        defer { pcap_close(handle) }
        let linkType = pcap_datalink(handle)
        var packets: [CapturedPacket] = []
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        while packets.count < limit {
            let status = pcap_next_ex(handle, &header, &data)
            if status == 1, let header, let data {
                let h = header.pointee
                packets.append(
                    CapturedPacket(
                        time: Date(timeIntervalSince1970: Double(h.ts.tv_sec) + Double(h.ts.tv_usec) / 1e6),
                        linkType: linkType, bytes: Array(UnsafeBufferPointer(start: data, count: Int(h.caplen))),
                        originalLength: Int(h.len)))
            } else if status == 0 {
                continue
            } else {
                break  // -2 end of file; -1 a damaged record: keep what was read
            }
        }
        return packets
    }
}
