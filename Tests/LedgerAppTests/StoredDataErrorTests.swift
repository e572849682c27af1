import Foundation
import LedgerModel
import Testing

@testable import LedgerApp
@testable import LedgerStore

/// Stored data that cannot be decoded is reported, never shown as if it were empty.
@Suite struct StoredDataErrorTests {
    @Test func undecodableEvidenceIsReportedOnTheObservation() throws {
        let s = try campusService()
        let id = try device(s, seen(0, mac: "3c:d9:2b:00:00:01", ip: "198.18.10.5"))
        let observation = try #require(try s.showDevice(id, scope: .everything).observations.first)
        #expect(observation.evidenceError == nil && observation.evidence.count == 1)
        try s.ledger.writer.write { db in
            try db.execute(sql: "UPDATE observation SET evidence = '{broken' WHERE id = ?", arguments: [observation.id])
            try db.execute(
                sql: HistoryRow.insertHead + " VALUES (?, 'test', ?, 0, 'nope')", arguments: [id, observation.id])
        }
        let detail = try s.showDevice(id, scope: .everything)
        let shown = try #require(detail.observations.first)
        #expect(shown.evidence.isEmpty)
        let problem = try #require(shown.evidenceError)
        #expect(problem.contains("observation \(observation.id)") && problem.contains("cannot be read"))
        #expect(detail.history.contains { $0.field == "unreadable" && $0.new?.contains("cannot be read") == true })
        let json = String(decoding: try outputEncoder().encode(detail), as: UTF8.self)
        #expect(json.contains("\"evidence_error\" : \"stored evidence of observation \(observation.id)"))
        // A clean observation still carries the key, as null.
        let clean = String(decoding: try outputEncoder().encode(observation), as: UTF8.self)
        #expect(clean.contains("\"evidence_error\" : null"))
    }

    @Test func aDamagedSubnetRuleIsAnErrorNotASilentlyMissingRule() throws {
        let s = try campusService()
        try s.ledger.writer.write { db in
            try db.execute(sql: "UPDATE subnet_rule SET cidr = 'garbage' WHERE cidr = '198.18.10.0/24'")
        }
        #expect(code { try s.listSubnetRules(scope: .everything) } == .io)
    }
}
