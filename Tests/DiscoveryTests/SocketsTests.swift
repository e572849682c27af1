import Foundation
import Testing

@testable import Discovery

/// The scanner's reads of the kernel's tables and its sockets.
@Suite struct SocketsTests {
    @Test func procFilesAreReadWhole() {
        // /proc reports size 0; Foundation's whole-file read stopped at 4 KB (51 ARP entries).
        let maps = Sockets.readProcFile("/proc/self/maps")
        #expect(maps.utf8.count > 4_096 && maps.hasSuffix("\n"))
        #expect(Sockets.readProcFile("/proc/no-such-file").isEmpty)
    }
}
