import Foundation
import Ingest
import LedgerModel
import TestSupport
import Testing

@testable import LedgerStore

/// `import` of observation JSON Lines: streamed batch by batch through one transaction.
@Suite struct StreamingImportTests {
    func file(_ observations: [Observation], then tail: String = "") throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        var text = ""
        for o in observations { text += String(decoding: try encoder.encode(o), as: UTF8.self) + "\n" }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stream-\(UUID().uuidString).jsonl")
        try Data((text + tail).utf8).write(to: url)
        return url.path
    }

    /// Sightings that cross batch boundaries: a serial arriving after the MAC, a second MAC
    /// proving two devices one (folded), a UUID shared by two serials (retired), a host name
    /// alone finding its device in the department, rescans with new addresses.
    func campus(_ n: Int) -> [Observation] {
        var out: [Observation] = []
        func mac(_ i: Int, _ k: Int) -> String { String(format: "54:e1:ad:%02x:%02x:%02x", k, i >> 8, i & 255) }
        for i in 0..<n {
            let net = i % 2 == 0 ? "198.18.10" : "198.18.11"
            out.append(
                Observation(
                    source: .scan, observedAt: at(Double(i)), deviceClass: .pc, macs: [mac(i, 1)],
                    ips: ["\(net).\(i % 250 + 1)"], hostnames: ["pc-\(i)"]))
            out.append(
                Observation(
                    source: .scan, observedAt: at(Double(i) + 0.5), macs: [mac(i, 2)],
                    ips: ["198.18.30.\(i % 250 + 1)"]))
        }
        for i in 0..<n {
            out.append(
                Observation(
                    source: .agent, observedAt: at(1000 + Double(i)), model: "M720t",
                    serial: String(format: "PF%06d", i),
                    uuid: String(format: "8A7B6C5D-1234-11E9-8000-%012d", i / 3), os: "Windows 11",
                    macs: [mac(i, 1), mac(i, 2)], hostnames: ["pc-\(i)"]))
            if i % 5 == 0 {
                out.append(
                    Observation(source: .scan, observedAt: at(2000 + Double(i)), hostnames: ["pc-\(i)"]))
            }
            if i % 7 == 0 {
                out.append(
                    Observation(
                        source: .scan, observedAt: at(3000 + Double(i)), macs: [mac(i, 1)],
                        ips: ["198.18.11.\(i % 250 + 1)"]))
            }
        }
        return out
    }

    @Test func aStreamGivesTheDevicesOfOneBatch() throws {
        let observations = campus(60)
        let whole = try campusLedger()
        let w = try whole.merge(observations)
        let path = try file(observations)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let streamed = try campusLedger()
        let stream = try ObservationStream(path: path, batchSize: 7)
        let s = try streamed.merge(batches: { try stream.next() })
        #expect(w.absorbed > 0 && w.ambiguous > 0)
        let counts: [Int] = [s.observations, s.created, s.matched, s.absorbed, s.ambiguous]
        let expected: [Int] = [w.observations, w.created, w.matched, w.absorbed, w.ambiguous]
        #expect(counts == expected)
        #expect(try snapshot(streamed) == snapshot(whole))
        for d in try whole.devices(DeviceFilter()) {
            let (a, b) = (try streamed.device(d.id), try whole.device(d.id))
            #expect(a.history.count == b.history.count)
            #expect(a.observations.count == b.observations.count)
        }
        #expect(try streamed.check().isEmpty)

        // The same when no key state stays between batches (a ledger too large to hold its
        // key index): every batch asks the database.
        let unkept = try campusLedger()
        let again = try ObservationStream(path: path, batchSize: 7)
        _ = try unkept.merge(batches: { try again.next() }, keptKeys: 0)
        #expect(try snapshot(unkept) == snapshot(whole))
    }

    @Test func aBadLastLineWritesNothing() throws {
        let ledger = try campusLedger()
        _ = try ledger.merge(campus(3))
        let before = try snapshot(ledger)
        let good = (0..<12_000).map { i in
            Observation(
                source: .scan, observedAt: at(Double(i)),
                macs: [String(format: "3c:d9:2b:%02x:%02x:%02x", i >> 16, (i >> 8) & 255, i & 255)])
        }
        let path = try file(good, then: #"{"source":"scan","observed_at":"2026-11-20T09:00:00Z","macs":"x"}"#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard case .observationLines(let stream) = try InventoryReaders.open(file: path) else {
            Issue.record("not streamed")
            return
        }
        do {
            try ledger.merge(batches: { try stream.next() })
            Issue.record("accepted")
        } catch let e as InputError {
            #expect(e.line == 12_001)
            #expect(e.file == path)
        }
        #expect(try snapshot(ledger) == before)
    }
}
