import Foundation

/// Which claims about one device disagree (`device show`): the conflicts each observation's
/// identification recorded (evidence field `conflict`), and the sources whose latest
/// observations name a different class, vendor or model. Pure.
public enum ClaimConflicts {
    public static func of(_ observations: [Observation]) -> [String] {
        var out: [String] = []
        func note(_ line: String) { if !out.contains(line) { out.append(line) } }
        for o in observations {
            for e in o.evidence where e.field == "conflict" { note("\(o.source.rawValue): \(e.value)") }
        }
        // The latest observation of each source (and sensor or collector).
        var latest: [String: Observation] = [:]
        for o in observations {
            let source = [o.source.rawValue, o.origin].compactMap { $0 }.joined(separator: " ")
            if let known = latest[source], known.observedAt > o.observedAt { continue }
            latest[source] = o
        }
        let fields: [(String, (Observation) -> String?)] = [
            ("class", { $0.deviceClass == .unknown ? nil : $0.deviceClass?.rawValue }), ("vendor", { $0.vendor }),
            ("model", { $0.model }),
        ]
        for (field, value) in fields {
            var bySpelling: [String: (value: String, sources: [String])] = [:]
            for (source, o) in latest.sorted(by: { $0.key < $1.key }) {
                guard let v = value(o)?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { continue }
                let key = v.lowercased().filter { $0.isLetter || $0.isNumber }
                bySpelling[key, default: (v, [])].sources.append(source)
            }
            guard bySpelling.count > 1 else { continue }
            note(
                "\(field): "
                    + bySpelling.values.sorted { $0.value < $1.value }.map {
                        "\($0.value) (\($0.sources.joined(separator: ", ")))"
                    }.joined(separator: " vs "))
        }
        return out
    }
}
