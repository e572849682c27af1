import Foundation
import TestSupport
import Testing

@testable import Wire

func dnsMessages(_ name: String) throws -> (parsed: [DNSMessage], refused: [CodecError]) {
    var parsed: [DNSMessage] = []
    var refused: [CodecError] = []
    for packet in try capture(name) {
        guard let udp = Frames.udp(linkType: packet.linkType, packet.bytes),
            [53, 5353, 5355].contains(udp.sourcePort) || [53, 5353, 5355].contains(udp.destinationPort)
        else { continue }
        do { parsed.append(try DNSMessage.parse(udp.payload)) } catch let e as CodecError { refused.append(e) }
    }
    return (parsed, refused)
}

/// Builds DNS wire bytes for tests.
struct DNSBuilder {
    var bytes: [UInt8] = []
    mutating func u16(_ v: UInt16) { bytes += [UInt8(v >> 8), UInt8(v & 0xFF)] }
    mutating func u32(_ v: UInt32) { u16(UInt16(v >> 16)); u16(UInt16(v & 0xFFFF)) }
    mutating func name(_ s: String) {
        for label in s.split(separator: ".") { bytes.append(UInt8(label.utf8.count)); bytes += Array(label.utf8) }
        bytes.append(0)
    }
}

@Suite struct DNSCodecTests {
    @Test func realQueriesAndAnswersFromCaptures() throws {
        let udp = try dnsMessages("dns_udp.pcap")
        #expect(udp.refused.isEmpty)
        let response = try #require(udp.parsed.first { $0.isResponse })
        #expect(response.questions.map(\.name) == ["www.tcpdump.org"])
        #expect(response.answers.map(\.data) == [.address("192.139.46.66"), .address("198.199.88.104")])
        let edns = try dnsMessages("edns-opts.pcap")
        #expect(edns.parsed.count == 42)
        #expect(edns.parsed.filter(\.isResponse).allSatisfy { $0.answers.first?.data == .address("93.184.216.34") })
        let dnssec = try dnsMessages("dnssec.pcap")
        #expect(dnssec.parsed.contains { $0.answers.contains { $0.data == .address("125.100.126.202") } })
    }

    @Test func malformedCapturesAreRefusedWithThePlace() throws {
        for name in ["dns-badlabel.pcap", "dns_fwdptr.pcap", "dns-zlip-1.pcap", "dns-zlip-2.pcap", "dns-zlip-3.pcap"] {
            let r = try dnsMessages(name)
            #expect(r.parsed.isEmpty, "\(name)")
            #expect(!r.refused.isEmpty, "\(name)")
        }
    }

    @Test func anMDNSPrinterAdvertisement() throws {
        var b = DNSBuilder()
        b.u16(0); b.u16(0x8400); b.u16(0); b.u16(1); b.u16(0); b.u16(2)
        let serviceOffset = b.bytes.count
        b.name("_ipp._tcp.local")
        b.u16(DNSMessage.ptr); b.u16(1); b.u32(4500)
        let instance = "HP LaserJet M404"
        b.u16(UInt16(1 + instance.utf8.count + 2))
        b.bytes.append(UInt8(instance.utf8.count)); b.bytes += Array(instance.utf8)
        b.bytes += [0xC0, UInt8(serviceOffset)]  // pointer to _ipp._tcp.local
        b.name("hp-m404._ipp._tcp.local")
        b.u16(DNSMessage.srv); b.u16(0x8001); b.u32(120)
        var target = DNSBuilder()
        target.name("hp-m404.local")
        b.u16(UInt16(6 + target.bytes.count)); b.u16(0); b.u16(0); b.u16(631); b.bytes += target.bytes
        b.name("hp-m404._ipp._tcp.local")
        b.u16(DNSMessage.txt); b.u16(0x8001); b.u32(4500)
        let txt = ["ty=HP LaserJet Pro M404dn", "Fax=T", "usb_MFG=HP"]
        b.u16(UInt16(txt.reduce(0) { $0 + 1 + $1.utf8.count }))
        for t in txt { b.bytes.append(UInt8(t.utf8.count)); b.bytes += Array(t.utf8) }
        let m = try DNSMessage.parse(b.bytes[...])
        #expect(m.isResponse)
        #expect(m.answers.first?.data == .name("HP LaserJet M404._ipp._tcp.local"))
        #expect(m.additional.first?.data == .service(priority: 0, weight: 0, port: 631, target: "hp-m404.local"))
        #expect(m.txtValues["ty"] == "HP LaserJet Pro M404dn")
        #expect(m.txtValues["fax"] == "T")
    }

    @Test func compressionLoopsAndLiesAreRefused() {
        var loop = DNSBuilder()
        loop.u16(1); loop.u16(0); loop.u16(1); loop.u16(0); loop.u16(0); loop.u16(0)
        loop.bytes += [0xC0, 12]  // a name that points at itself
        loop.u16(1); loop.u16(1)
        #expect(throws: CodecError.self) { try DNSMessage.parse(loop.bytes[...]) }
        var counts = DNSBuilder()
        counts.u16(1); counts.u16(0); counts.u16(0xFFFF); counts.u16(0); counts.u16(0); counts.u16(0)
        #expect(throws: CodecError("dns", 4, "section counts [65535, 0, 0, 0] exceed what 12 bytes can hold")) {
            try DNSMessage.parse(counts.bytes[...])
        }
    }

    @Test func everyCaptureAndRandomBytesAreSurvived() throws {
        // Every UDP payload of every capture, whatever its port, through the DNS codec.
        let files = try Fixtures.captureNames()
        #expect(files.count >= 50)
        var payloads = 0
        for file in files {
            for packet in try capture(file) {
                guard let udp = Frames.udp(linkType: packet.linkType, packet.bytes) else { continue }
                payloads += 1
                _ = try? DNSMessage.parse(udp.payload)
            }
        }
        #expect(payloads > 100)
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let bytes = (0..<Int.random(in: 0..<300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            _ = try? DNSMessage.parse(bytes[...])
            _ = Frames.udp(linkType: 1, bytes)
        }
    }
}
