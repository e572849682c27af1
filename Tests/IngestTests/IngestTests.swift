import Foundation
import TestSupport
import Testing

@testable import Ingest
@testable import LedgerModel

let departmentHeader = DepartmentFile.header.joined(separator: ",")

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
}

@Suite struct CSVTests {
    @Test func quotedFieldsKeepCommasQuotesAndNewlinesAndLinesAreCounted() throws {
        let text = "a,b\r\n\"x,1\",\"say \"\"hi\"\"\"\n\"multi\nline\",z\n\nlast,row\n"
        let records = try CSVReader.records(text, file: "f")
        #expect(
            records.map(\.fields) == [["a", "b"], ["x,1", "say \"hi\""], ["multi\nline", "z"], ["last", "row"]])
        #expect(records.map(\.line) == [1, 2, 3, 6])
    }

    @Test func malformedCSVNamesFileAndLine() {
        #expect(throws: InputError(file: "f", line: 2, reason: "quoted field is never closed")) {
            try CSVReader.records("a,b\n\"open,b\nc,d\n", file: "f")
        }
        #expect(throws: InputError(file: "f", line: 2, reason: "stray quote inside an unquoted field")) {
            try CSVReader.records("a,b\nx\"y,b\n", file: "f")
        }
        #expect(throws: InputError(file: "f", line: 3, reason: "ragged row: 3 fields, header has 2")) {
            try CSVReader.table("a,b\n1,2\n1,2,3\n", file: "f", header: ["a", "b"])
        }
        #expect(throws: InputError.self) { try CSVReader.table("a,c\n1,2\n", file: "f", header: ["a", "b"]) }
        #expect(throws: InputError.self) { try CSVReader.table("", file: "f", header: ["a", "b"]) }
    }

    @Test func writerQuotesAndDefusesFormulas() {
        let doc = CSVWriter.document(
            header: ["a", "b"], rows: [["x,y", "=HYPERLINK(\"evil\")"], ["line\nbreak", "-1"]])
        #expect(doc.hasPrefix("\u{FEFF}a,b\r\n"))
        #expect(doc.contains("\"x,y\",\"'=HYPERLINK(\"\"evil\"\")\""))
        #expect(doc.contains("\"line\nbreak\",'-1"))
        // It reads back as what was written (less the BOM and formula guard).
        let back = try? CSVReader.records(String(doc.dropFirst()), file: "w")
        #expect(back?[1].fields == ["x,y", "'=HYPERLINK(\"evil\")"])
    }
}

@Suite struct RuleFileTests {
    @Test func departmentRowsAcceptEnglishOrChineseKinds() throws {
        let text = """
            \(departmentHeader)
            A,甲,Alpha,二级学院,,,,,,,,
            B,乙,,functional,A,王,李,010,li@example.edu.cn,,,
            """
        let entries = try DepartmentFile.read(Data(text.utf8), file: "d.csv")
        #expect(entries.map(\.department.kind) == [.college, .functional])
        #expect(entries[1].department.liaison == Contact(name: "李", phone: "010", email: "li@example.edu.cn"))
        #expect(entries[1].line == 3)
    }

    @Test func departmentRowErrorsNameTheLine() {
        func refuse(_ row: String, _ reason: String) {
            #expect(throws: InputError(file: "d.csv", line: 2, reason: reason)) {
                try DepartmentFile.read(Data("\(departmentHeader)\n\(row)\n".utf8), file: "d.csv")
            }
        }
        refuse("A,甲,,学院,,,,,,,,", "unknown kind '学院' (use functional/职能部门, support/教辅机构 or college/二级学院)")
        refuse(",甲,,college,,,,,,,,", "empty department code")
        refuse("A,,,college,,,,,,,,", "empty name for department 'A'")
        refuse("A,甲,,college,A,,,,,,,", "department 'A' is its own parent")
        refuse("A,甲,,college,,,,,not-mail,,,", "liaison_email 'not-mail' is not an e-mail address")
        refuse("A,甲,,college,,,,,,,", "ragged row: 11 fields, header has 12")
    }

    @Test func subnetFileRefusesBadCIDRAndDuplicates() throws {
        let header = SubnetFile.header.joined(separator: ",")
        let good = try SubnetFile.read(
            Data("\(header)\n198.18.10.0/24,DZB,楼,110,\n2001:db8::/32,DZB,,,\n".utf8), file: "s.csv")
        #expect(good.map(\.rule.network.description) == ["198.18.10.0/24", "2001:db8::/32"])
        #expect(good[0].rule.vlan == 110)
        #expect(throws: InputError.self) {
            try SubnetFile.read(Data("\(header)\n198.18.10.0/24,DZB,,,\n198.18.300.0/24,DZB,,,\n".utf8), file: "s.csv")
        }
        do {
            _ = try SubnetFile.read(
                Data("\(header)\n198.18.10.0/24,DZB,,,\n198.18.10.0/24,CWC,,,\n".utf8), file: "s.csv")
            Issue.record("duplicate accepted")
        } catch let e as InputError {
            #expect(e.description == "s.csv:3: duplicate subnet 198.18.10.0/24 (first on line 2)")
        }
        #expect(throws: InputError.self) {
            try SubnetFile.read(Data("\(header)\n198.18.10.0/24,DZB,,5000,\n".utf8), file: "s.csv")
        }
    }

    @Test func hostnameRulesRefuseCatchAllPatterns() {
        #expect(throws: InputError.self) {
            try HostnameRuleFile.read(Data("pattern,department_code,note\n*,CWC,\n".utf8), file: "h.csv")
        }
    }
}

@Suite struct ObservationFileTests {
    @Test func readsJSONLinesAndNamesTheBadLine() throws {
        let good = """
            {"source":"scan","observed_at":"2026-11-20T09:00:00Z","class":"printer","macs":["3C:D9:2B:11:22:33"]}

            {"source":"agent","observed_at":"2026-11-20T09:00:00.250Z","serial":"X1234567"}
            """
        let obs = try ObservationFile.read(Data(good.utf8), file: "o.jsonl")
        #expect(obs.count == 2)
        #expect(obs[0].deviceClass == .printer)
        #expect(obs[1].observedAt.timeIntervalSince1970.truncatingRemainder(dividingBy: 1) == 0.25)
        let bad = good + "\n{\"source\":\"scan\",\"observed_at\":\"yesterday\"}\n"
        do {
            _ = try ObservationFile.read(Data(bad.utf8), file: "o.jsonl")
            Issue.record("bad date accepted")
        } catch let e as InputError {
            #expect(e.line == 4)
            #expect(e.reason.contains("observed_at"))
        }
        #expect(throws: InputError.self) {
            try ObservationFile.read(
                Data("{\"source\":\"telepathy\",\"observed_at\":\"2026-11-20T09:00:00Z\"}".utf8), file: "o")
        }
        #expect(throws: InputError.self) { try ObservationFile.read(Data("[1,2".utf8), file: "o") }
    }
}

@Suite struct ISODateTests {
    @Test func theFastPathAgreesWithFoundation() throws {
        for s in ["2026-11-20T09:00:00Z", "1999-12-31T23:59:59Z", "2024-02-29T12:00:00.250Z", "1970-01-01T00:00:00Z"] {
            let foundation = try Date(s, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: s.contains(".")))
            #expect(ISODate.fast(s) == foundation, "\(s)")
        }
        for s in ["2026-13-20T09:00:00Z", "2026-11-20 09:00:00", "2026-11-20T09:00:00+08:00", "20261120T090000Z", "x"] {
            #expect(ISODate.fast(s) == nil, "\(s)")
        }
        #expect(ISODate.parse("2026-11-20T09:00:00+08:00") == ISODate.parse("2026-11-20T01:00:00Z"))
    }
}
