import Foundation
import TestSupport
import Testing

@testable import Ingest
@testable import LedgerModel

@Suite struct TextDecodingTests {
    @Test func utf8WithAndWithoutBOM() throws {
        let plain = Data("信息化中心".utf8)
        #expect(try TextDecoding.decode(plain, file: "f").text == "信息化中心")
        #expect(try TextDecoding.decode(plain, file: "f").encoding == .utf8)
        let bom = Data([0xEF, 0xBB, 0xBF]) + plain
        #expect(try TextDecoding.decode(bom, file: "f").text == "信息化中心")
        #expect(try TextDecoding.decode(bom, file: "f").encoding == .utf8BOM)
    }

    @Test func gb18030FromChineseExcel() throws {
        // "信息化中心,教辅机构" as GB18030 bytes (checked with Python's gb18030 codec).
        let data = hex("d0c5cfa2bbafd6d0d0c4" + "2c" + "bdccb8a8bbfab9b9")
        let decoded = try TextDecoding.decode(data, file: "f")
        #expect(decoded.text == "信息化中心,教辅机构")
        #expect(decoded.encoding == .gb18030)
    }

    @Test func bytesThatAreNeitherAreRefusedWithTheLine() {
        // Line 2 carries 0x80 0xFF: not UTF-8, not GB18030 (0xFF is never a GB18030 byte).
        let data = Data("a,b\n".utf8) + Data([0x80, 0xFF, 0x0A])
        #expect(throws: InputError(file: "x.csv", line: 2, reason: "text is neither UTF-8 nor GB18030")) {
            try TextDecoding.decode(data, file: "x.csv")
        }
    }

    @Test func utf16IsRefusedWithAHint() {
        #expect(throws: InputError.self) { try TextDecoding.decode(Data([0xFF, 0xFE, 0x41, 0x00]), file: "u.csv") }
    }

    // GB18030's four-byte sequences (an emoji here) and CRLF line ends decode.
    @Test func gb18030FourByteAndCRLF() throws {
        let d = try TextDecoding.decode(hex("636f64652c6e616d650a412cd0c5cfa29439fc36d6d0d0c40a"), file: "x")
        #expect(d.text == "code,name\nA,信息😀中心\n")
    }
}
