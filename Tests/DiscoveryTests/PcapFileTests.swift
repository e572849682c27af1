import Foundation
import TestSupport
import Testing

@testable import Discovery

/// The scanner's capture reader on the shared captures. The other tests read them through
/// TestSupport's `capture`; this keeps `PcapFile` itself on every one of them.
@Suite struct PcapFileTests {
    @Test func everyCaptureReadsFrameForFrameAsLibpcapGivesIt() throws {
        let names = try Fixtures.captureNames()
        #expect(names.count >= 40)
        for name in names {
            let read = try PcapFile.packets(Fixtures.pcap(name).path)
            let frames = try capture(name)
            #expect(read.map(\.linkType) == frames.map(\.linkType), "\(name)")
            #expect(read.map(\.bytes) == frames.map(\.bytes), "\(name)")
            #expect(read.allSatisfy { $0.originalLength >= $0.bytes.count }, "\(name)")
        }
    }
}
