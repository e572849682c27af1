import LedgerModel
import Testing

@testable import Discovery

/// Wire keeps ARP's addresses as UInt32; the scanner reads and writes them as IPAddress.
@Suite struct WireAddressesTests {
    @Test func arpAddressesReadAndWriteAsTheLedgersAddresses() throws {
        let mac: [UInt8] = [0x3C, 0xD9, 0x2B, 0, 0, 1]
        let frame = ARPPacket.requestFrame(
            senderMAC: mac, senderIP: IPAddress("198.18.0.1")!, target: IPAddress("198.18.0.77")!)
        #expect(frame == ARPPacket.requestFrame(senderMAC: mac, senderIPv4: 0xC612_0001, targetIPv4: 0xC612_004D))
        let arp = try #require(try ARPPacket.parse(linkType: 1, frame: frame))
        #expect(arp.senderIP == IPAddress("198.18.0.1")!)
        #expect(arp.targetIP.description == "198.18.0.77")
    }
}
