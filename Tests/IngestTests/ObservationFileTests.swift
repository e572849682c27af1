import Foundation
import TestSupport
import Testing

@testable import Ingest
@testable import LedgerModel

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

    // A JSON Lines file that starts with a byte-order mark (Windows editors write one) reads.
    @Test func jsonlWithBOM() throws {
        let text = "\u{FEFF}{\"source\":\"scan\",\"observed_at\":\"2026-01-01T00:00:00Z\"}\n"
        #expect(throws: Never.self) { try ObservationFile.read(Data(text.utf8), file: "o.jsonl") }
    }

    // A refused value's reason quotes it without its raw escape bytes (they would drive the terminal).
    @Test func errorReasonCarriesRawEscape() throws {
        let text = "{\"source\":\"scan\",\"observed_at\":\"\\u001b[2J\"}\n"
        do { _ = try ObservationFile.read(Data(text.utf8), file: "o.jsonl"); Issue.record("accepted") } catch let e
            as InputError
        { #expect(!e.description.contains("\u{1b}")) }
    }
}
