import CPcap
import Foundation
import Testing

/// A captured frame and its link type (DLT_*), as the codecs are given them.
public struct CapturedFrame: Sendable {
    public var linkType: Int32
    public var bytes: [UInt8]
}

/// A capture that libpcap cannot open.
public struct CaptureUnreadable: Error { public var path: String }

/// The frames of a shared capture in `../shared/fixtures/pcap` (pcap or pcapng), read through
/// libpcap as Discovery's `PcapFile` does (`Wire` itself reads no files). A missing capture
/// fails the test.
public func capture(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [CapturedFrame] {
    let path = try Fixtures.readable(Fixtures.pcap(name), sourceLocation: sourceLocation).path
    var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
    guard let handle = pcap_open_offline(path, &errorBuffer) else { throw CaptureUnreadable(path: path) }
    defer { pcap_close(handle) }
    let linkType = pcap_datalink(handle)
    var frames: [CapturedFrame] = []
    var header: UnsafeMutablePointer<pcap_pkthdr>?
    var data: UnsafePointer<UInt8>?
    while true {
        let status = pcap_next_ex(handle, &header, &data)
        if status == 1, let header, let data {
            frames.append(
                CapturedFrame(
                    linkType: linkType,
                    bytes: Array(UnsafeBufferPointer(start: data, count: Int(header.pointee.caplen)))))
        } else if status != 0 {
            return frames  // -2 end of file; -1 a damaged record: keep what was read
        }
    }
}
