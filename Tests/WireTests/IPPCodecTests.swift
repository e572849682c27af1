import Foundation
import Testing

@testable import Wire

@Suite struct IPPCodecTests {
    @Test func theRequestTheScannerSendsReadsBack() throws {
        let request = IPPMessage.getPrinterAttributes(uri: "ipp://198.18.10.21:631/ipp/print", requestID: 7)
        let m = try IPPMessage.parse(request[...])
        #expect(m.version == 0x0200)
        #expect(m.code == 0x000B)
        #expect(m.requestID == 7)
        #expect(m.text("printer-uri") == "ipp://198.18.10.21:631/ipp/print")
        #expect(m.texts("requested-attributes").contains("printer-make-and-model"))
        #expect(m.texts("requested-attributes").count == 11)
    }

    @Test func aPrintersAnswer() throws {
        var b: [UInt8] = [0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0x01]
        func attribute(_ tag: UInt8, _ name: String, _ value: [UInt8]) {
            b.append(tag)
            b += [UInt8(name.utf8.count >> 8), UInt8(name.utf8.count & 0xFF)] + Array(name.utf8)
            b += [UInt8(value.count >> 8), UInt8(value.count & 0xFF)] + value
        }
        attribute(0x47, "attributes-charset", Array("utf-8".utf8))
        b.append(0x04)  // printer-attributes
        attribute(0x41, "printer-make-and-model", Array("HP LaserJet Pro M404dn".utf8))
        attribute(0x41, "printer-device-id", Array("MFG:HP;MDL:LaserJet Pro M404dn;CMD:PJL,PCL,PDF;".utf8))
        attribute(0x45, "printer-uuid", Array("urn:uuid:564e4334-3730-3150-3533-3ca82a0b1a2d".utf8))
        attribute(0x23, "printer-state", [0, 0, 0, 3])
        attribute(0x22, "color-supported", [0])
        attribute(0x49, "document-format-supported", Array("application/pdf".utf8))
        attribute(0x49, "", Array("image/urf".utf8))
        b.append(0x03)
        let m = try IPPMessage.parse(b[...])
        #expect(m.code == 0)
        #expect(m.text("printer-make-and-model") == "HP LaserJet Pro M404dn")
        #expect(m.text("printer-device-id")?.contains("MDL:LaserJet Pro M404dn") == true)
        #expect(m.texts("document-format-supported") == ["application/pdf", "image/urf"])
        #expect(m.attributes.first { $0.name == "printer-state" }?.values == [.integer(3)])
        #expect(m.attributes.first { $0.name == "color-supported" }?.values == [.boolean(false)])
        #expect(m.attributes.first { $0.name == "printer-uuid" }?.group == 0x04)
    }

    @Test func brokenAnswersAreRefused() {
        #expect(throws: CodecError("ipp", 0, "3 bytes, an IPP message has at least 9")) {
            try IPPMessage.parse([2, 0, 0][...])
        }
        #expect(throws: CodecError.self) { try IPPMessage.parse([2, 0, 0, 0, 0, 0, 0, 1, 1, 0x41, 0xFF, 0xFF][...]) }
        #expect(throws: CodecError("ipp", 9, "no end-of-attributes tag")) {
            try IPPMessage.parse([2, 0, 0, 0, 0, 0, 0, 1, 1][...])
        }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<10_000 {
            let bytes = (0..<Int.random(in: 0..<300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            _ = try? IPPMessage.parse(bytes[...])
        }
    }
}
