import Foundation

/// One row of device history before it is written.
struct HistoryRow {
    var field: String
    var old: String?
    var new: String?

    init(field: String, old: String? = nil, new: String? = nil) {
        self.field = field
        self.old = old
        self.new = new
    }

    static let insertHead = "INSERT INTO device_history (device_id, source, observation_id, changed_at, changes)"

    /// Reads the `changes` column back; throws when it is not the JSON `json(_:)` writes.
    static func decode(_ text: String) throws -> [HistoryRow] {
        struct Change: Decodable {
            var field: String
            var old: String?
            var new: String?
        }
        let changes = try JSONDecoder().decode([Change].self, from: Data(text.utf8))
        return changes.map { HistoryRow(field: $0.field, old: $0.old, new: $0.new) }
    }

    /// The `changes` column: `[{"field": ..., "old": ..., "new": ...}, ...]`.
    static func json(_ rows: [HistoryRow]) -> String {
        "["
            + rows.map { r in
                "{\"field\":\(JSONText.string(r.field)),\"old\":\(r.old.map(JSONText.string) ?? "null"),\"new\":\(r.new.map(JSONText.string) ?? "null")}"
            }.joined(separator: ",") + "]"
    }
}
