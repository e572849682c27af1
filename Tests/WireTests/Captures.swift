import CPcap
import Foundation
import Testing

let pcapDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/fixtures/pcap")

/// A captured frame and its link type (DLT_*), as the codecs are given them.
struct CapturedPacket {
    var linkType: Int32
    var bytes: [UInt8]
}

struct CaptureUnreadable: Error { var path: String }

/// The packets of a shared capture (pcap or pcapng), read through libpcap as Discovery's
/// `PcapFile` does; `Wire` itself reads no files.
func capture(_ name: String) throws -> [CapturedPacket] {
    let path = pcapDirectory.appendingPathComponent(name).path
    #expect(FileManager.default.isReadableFile(atPath: path), "\(path) must be readable")
    var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
    guard let handle = pcap_open_offline(path, &errorBuffer) else { throw CaptureUnreadable(path: path) }
    defer { pcap_close(handle) }
    let linkType = pcap_datalink(handle)
    var packets: [CapturedPacket] = []
    var header: UnsafeMutablePointer<pcap_pkthdr>?
    var data: UnsafePointer<UInt8>?
    while true {
        let status = pcap_next_ex(handle, &header, &data)
        if status == 1, let header, let data {
            packets.append(
                CapturedPacket(
                    linkType: linkType, bytes: Array(UnsafeBufferPointer(start: data, count: Int(header.pointee.caplen)))))
        } else if status != 0 {
            return packets  // -2 end of file; -1 a damaged record: keep what was read
        }
    }
}
