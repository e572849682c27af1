import Foundation
import LedgerModel
import Testing

@testable import LedgerApp
@testable import LedgerStore

/// The API's device list writer says what `JSONEncoder` says: decoded back, the same devices;
/// parsed, the same objects as the encoder's (every key, nulls and empty lists included).
@Suite struct DeviceListJSONTests {
    static func summary(_ id: Int64, _ text: String?) -> DeviceSummary {
        var d = DeviceSummary(
            id: id, deviceClass: .printer, faxCapable: id % 2 == 0, vendor: text, model: text.map { "M-" + $0 },
            serial: nil, uuid: text, os: text, firmware: nil, hostname: text, department: text == nil ? nil : "CWC",
            departmentName: text, ownerRule: id % 3 == 0 ? .manual : nil, ownerDetail: text,
            firstSeen: Date(timeIntervalSince1970: 1_790_000_000 + Double(id)),
            lastSeen: Date(timeIntervalSince1970: 1_790_000_100 + Double(id)))
        d.macs = text == nil ? [] : ["3c:d9:2b:00:00:01", text!]
        d.ips = ["198.18.0.\(id % 250)"]
        d.hostnames = text.map { [$0, "b/c"] } ?? []
        return d
    }

    @Test func theWriterAgreesWithJSONEncoderOnEveryString() throws {
        var control = ""
        for u in 0..<0x20 { control.unicodeScalars.append(Unicode.Scalar(UInt8(u))) }
        let texts: [String?] = [
            nil, "", "plain", "财务处打印机", "<script>alert(\"x\")</script>", "a\\b/c", control, "tab\there\nline",
            "emoji 🖨️ \u{2028}\u{2029}", "\u{7F}\u{80}\u{FFFF}", "=cmd|' /C calc'!A0",
            String(repeating: "长", count: 300),
        ]
        let devices = texts.enumerated().map { DeviceOutput(Self.summary(Int64($0.offset + 1), $0.element)) }
        let fast = Data(DeviceListJSON.encode(devices))
        #expect(try JSONDecoder().decode([DeviceOutput].self, from: fast) == devices)
        let reference = try outputEncoder().encode(devices)
        let a = try #require(try JSONSerialization.jsonObject(with: fast) as? NSArray)
        let b = try #require(try JSONSerialization.jsonObject(with: reference) as? NSArray)
        #expect(a == b)
        #expect(a.count == texts.count)
        // Every documented key is there, a missing value as null.
        let first = try #require(a[0] as? [String: Any])
        #expect(first.count == 19 && first["vendor"] is NSNull && (first["macs"] as? [Any])?.isEmpty == true)
        #expect(DeviceListJSON.encode([]) == Array("[]".utf8))
    }
}
