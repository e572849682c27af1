import Foundation

/// What may be sent to a printer's raw print ports. Printers print what they receive there, so
/// the scanner sends exactly one thing to 9100-9107 and 9999 — a PJL `INFO ID` query wrapped
/// in the Universal Exit Language — and only to a host another signal already says is a
/// printer. To 515 (LPD) nothing is sent at all: a connect is the whole probe. Every probe
/// the scanner builds passes `RawPrintPorts.check` before it leaves.
public enum RawPrintPorts {
    public static let ports: Set<UInt16> = [9100, 9101, 9102, 9103, 9104, 9105, 9106, 9107, 9999]
    public static let lpd: UInt16 = 515

    /// `ESC%-12345X@PJL INFO ID CRLF ESC%-12345X`: the only bytes allowed to a raw print port.
    public static let pjlInfoID: [UInt8] = Array("\u{1B}%-12345X@PJL INFO ID\r\n\u{1B}%-12345X".utf8)

    public enum Refusal: Error, Equatable, Sendable {
        case notAPrinter(port: UInt16)
        case payloadNotAllowed(port: UInt16)
    }

    /// Checks a payload bound for `port`. Ports that are not print ports are not this check's
    /// business (nil = allowed).
    public static func check(port: UInt16, payload: [UInt8], hostIsPrinter: Bool) -> Refusal? {
        if port == lpd { return payload.isEmpty ? nil : .payloadNotAllowed(port: port) }
        guard ports.contains(port) else { return nil }
        if payload.isEmpty { return nil }  // connect only
        guard hostIsPrinter else { return .notAPrinter(port: port) }
        return payload == pjlInfoID ? nil : .payloadNotAllowed(port: port)
    }

    /// The model from a PJL `INFO ID` answer: `@PJL INFO ID` CRLF `"HP LaserJet M404"` CRLF FF.
    public static func model(fromInfoID answer: [UInt8]) -> String? {
        guard answer.count <= 4096 else { return nil }
        let text = String(decoding: answer, as: UTF8.self)
        // ("\r\n" is one Character in Swift: isNewline covers it.)
        let lines = text.split(whereSeparator: { $0.isNewline || $0 == "\u{0C}" }).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard let header = lines.firstIndex(where: { $0.uppercased().hasPrefix("@PJL INFO ID") }),
            header + 1 < lines.count
        else { return nil }
        let model = lines[header + 1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        return model.isEmpty ? nil : model
    }
}
