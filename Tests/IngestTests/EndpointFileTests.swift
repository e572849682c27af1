import Foundation
import Testing

@testable import Ingest
@testable import LedgerModel

@Suite struct EndpointFileTests {
    static let sample = """
        {"schema": "assetledger-endpoint-report", "schema_version": 1, "agent": "assetledger-linux 1",
         "collected_at": "2026-11-20T08:00:00Z",
         "identity": {"hostname": "jwc-pc-07", "serials": ["PF2ABCDE"], "smbios_uuid": "8A7B6C5D-1234-11E9-8000-54E1AD102030",
                      "macs": ["54:e1:ad:10:20:30"], "ips": ["198.18.12.7"], "vendor": "LENOVO", "model": "ThinkCentre M720t"},
         "os": {"name": "Debian GNU/Linux 12 (bookworm)", "version": "12", "kernel": "6.1.0-13-amd64"},
         "patches": [{"id": "openssl", "title": "security update", "installed_at": "2026-11-18T03:00:00Z"}],
         "pending_updates": [{"id": "linux-image-amd64", "security": true}],
         "antivirus": [{"name": "ClamAV", "enabled": true, "signatures_up_to_date": true, "signature_date": "2026-11-19T22:00:00Z"}],
         "software": [{"name": "libreoffice-writer", "version": "4:7.4.7-1", "source": "deb"}]}
        """

    @Test func ourReportReadsEveryField() throws {
        let r = try AssetLedgerReportFile.read(Data(Self.sample.utf8), file: "r.json")
        #expect(r.identity.smbiosUUID == "8A7B6C5D-1234-11E9-8000-54E1AD102030")
        #expect(r.identity.serials == ["PF2ABCDE"])
        #expect(r.os?.kernel == "6.1.0-13-amd64")
        #expect(r.patches.first?.installedAt == ISODate.parse("2026-11-18T03:00:00Z"))
        #expect(r.pendingUpdates.first?.security == true)
        #expect(r.antivirus.first?.signaturesUpToDate == true)
        #expect(r.software.first?.source == "deb")
        #expect(try ImportFormat.detect(Data(Self.sample.utf8), file: "r.json") == .assetledgerReport)
    }

    @Test func aReportWrittenByTheEncoderReadsBack() throws {
        let r = try AssetLedgerReportFile.read(Data(Self.sample.utf8), file: "r.json")
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        var object = try #require(try JSONSerialization.jsonObject(with: encoder.encode(r)) as? [String: Any])
        #expect((object["identity"] as? [String: Any])?["smbios_uuid"] as? String == r.identity.smbiosUUID)
        object["schema"] = "assetledger-endpoint-report"
        object["schema_version"] = 1
        let again = try AssetLedgerReportFile.read(try JSONSerialization.data(withJSONObject: object), file: "r2.json")
        #expect(again == r)
    }

    @Test func wrongVersionsTypesAndTruncationAreRefusedByName() {
        let v2 = Self.sample.replacingOccurrences(of: "\"schema_version\": 1", with: "\"schema_version\": 2")
        #expect(
            throws: InputError(
                file: "v2.json", line: nil, reason: "schema_version 2 is not supported (this build reads 1)")
        ) {
            try AssetLedgerReportFile.read(Data(v2.utf8), file: "v2.json")
        }
        let wrongType = Self.sample.replacingOccurrences(of: "\"enabled\": true", with: "\"enabled\": \"yes\"")
        do {
            _ = try AssetLedgerReportFile.read(Data(wrongType.utf8), file: "t.json")
            Issue.record("wrong type accepted")
        } catch let e as InputError {
            #expect(e.reason.contains("antivirus"))
        } catch { Issue.record("\(error)") }
        #expect(throws: InputError.self) {
            try AssetLedgerReportFile.read(Data(Self.sample.prefix(200).utf8), file: "cut.json")
        }
    }

    @Test func everyAgentFixtureIsRecognizedByContent() throws {
        let expected: [(String, ImportFormat)] = [
            ("fusioninventory/rudder/debian12.ocs", .fusionInventoryXML),
            ("fusioninventory/inventory_format/2.xml", .fusionInventoryXML),
            ("glpi-json/inventory_format/computer_1.json", .glpiJSON),
            ("open-audit/laptop.xml", .openAuditXML),
        ]
        for (path, format) in expected {
            let f = try agentFixture(path)
            #expect(try ImportFormat.detect(f.data, file: f.path) == format, "\(path)")
            #expect(try EndpointFile.read(f.data, file: f.path).format == format.rawValue, "\(path)")
        }
        let wmi = try agentFixture("glpi-agent-raw/wmi/xp-Win32_QuickFixEngineering.wmi")
        #expect(try ImportFormat.detect(wmi.data, file: wmi.path) == .collectorOutput)
        #expect(throws: InputError.self) { try ImportFormat.detect(Data("hello".utf8), file: "x.txt") }
    }
}
