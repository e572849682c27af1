import Foundation
import TestSupport
import Testing

@testable import Ingest
@testable import LedgerModel

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

    // CRLF inside and after quoted fields, blank lines and doubled quotes keep their line numbers.
    @Test func csvEdgeCases() throws {
        let r = try CSVReader.records("a,b\r\n\r\n\"x\r\ny\",\"\"\"q\"\r\n1,\r\n", file: "x")
        #expect(r.map(\.fields) == [["a", "b"], ["x\r\ny", "\"q"], ["1", ""]])
        #expect(r.map(\.line) == [1, 3, 5])
    }
}
