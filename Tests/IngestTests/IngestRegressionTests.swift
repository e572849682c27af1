import Foundation
import Ingest
import LedgerModel
import Testing

@Suite struct IngestRegressionTests {
    func bytes(_ hexString: String) -> Data {
        var d = Data()
        var s = hexString[...]
        while !s.isEmpty { d.append(UInt8(s.prefix(2), radix: 16)!); s = s.dropFirst(2) }
        return d
    }
    @Test func gb18030FourByteAndCRLF() throws {
        let d = try TextDecoding.decode(bytes("636f64652c6e616d650a412cd0c5cfa29439fc36d6d0d0c40a"), file: "x")
        #expect(d.text == "code,name\nA,信息😀中心\n")
    }
    @Test func csvEdgeCases() throws {
        let r = try CSVReader.records("a,b\r\n\r\n\"x\r\ny\",\"\"\"q\"\r\n1,\r\n", file: "x")
        #expect(r.map(\.fields) == [["a", "b"], ["x\r\ny", "\"q"], ["1", ""]])
        #expect(r.map(\.line) == [1, 3, 5])
    }
    // Excel leaves rows of bare commas after cleared cells.
    @Test func excelEmptyRowOfCommas() throws {
        let text = "cidr,department_code,site,vlan,note\r\n10.0.0.0/8,X,,,\r\n,,,,\r\n"
        #expect(throws: Never.self) { try SubnetFile.read(Data(text.utf8), file: "s.csv") }
    }
    @Test func jsonlWithBOM() throws {
        let text = "\u{FEFF}{\"source\":\"scan\",\"observed_at\":\"2026-01-01T00:00:00Z\"}\n"
        #expect(throws: Never.self) { try ObservationFile.read(Data(text.utf8), file: "o.jsonl") }
    }
    @Test func errorReasonCarriesRawEscape() throws {
        let text = "{\"source\":\"scan\",\"observed_at\":\"\\u001b[2J\"}\n"
        do { _ = try ObservationFile.read(Data(text.utf8), file: "o.jsonl"); Issue.record("accepted") } catch let e
            as InputError
        { #expect(!e.description.contains("\u{1b}")) }
    }
    @Test func headerErrorCarriesRawEscape() throws {
        let text = "cidr\u{1b}[2J,department_code,site,vlan,note\n"
        do { _ = try SubnetFile.read(Data(text.utf8), file: "s.csv"); Issue.record("accepted") } catch let e
            as InputError
        { #expect(!e.description.contains("\u{1b}")) }
    }
}

/// Rule and data files saved on Windows (CRLF) read like any other.
@Suite struct CRLFDataFileTests {
    @Test func catalogPolicyAndLifecycleFilesWithCRLF() throws {
        let catalog =
            CatalogFile.oldHeader.joined(separator: "\t")
            + "\r\n^WPS\t\t\tWPS Office\tKingsoft\toffice\tcommercial\tyes\r\n"
        #expect(try CatalogFile.read(Data(catalog.utf8), file: "c.tsv").count == 1)
        let policy = "# thresholds\r\npatch_max_age_days = 45\r\n"
        #expect(try PolicyFile.read(Data(policy.utf8), file: "p.conf").patchMaxAgeDays == 45)
        let lifecycle = LifecycleFile.header.joined(separator: "\t") + "\r\nWindows 7\t\t\t2020-01-14\tWindows 7\r\n"
        #expect(try LifecycleFile.read(Data(lifecycle.utf8), file: "l.tsv").count == 1)
        let uwp =
            "NAME: App One\r\nPUBLISHER: Microsoft Corporation\r\nVERSION: 1.0\r\n\r\nNAME: App Two\r\nPUBLISHER: Microsoft Corporation\r\n"
        #expect(try CollectorOutput.read(Data(uwp.utf8), file: "u.txt").software.map(\.name) == ["App One", "App Two"])
    }
}
