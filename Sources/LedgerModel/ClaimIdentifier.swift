import Foundation

/// What a department names a device it claims by: an address it knows from the device itself
/// (a MAC or serial from its label, the IP it prints on its status page).
public struct ClaimIdentifier: Equatable, Sendable {
    public enum Kind: String, Codable, CaseIterable, Sendable {
        case mac, serial, ip
    }

    public var kind: Kind
    /// Normalized as the ledger stores it (lower-case colon MAC, trimmed serial, canonical IP).
    public var value: String

    public init(kind: Kind, value: String) {
        self.kind = kind
        self.value = value
    }

    /// Reads what a user typed: an IP address, else a MAC in any usual spelling, else a serial
    /// number; nil for what is none of them (empty, a placeholder serial, junk).
    public static func parse(_ raw: String) -> ClaimIdentifier? {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= 64 else { return nil }
        if let ip = IPAddress(text) { return ClaimIdentifier(kind: .ip, value: ip.description) }
        if let mac = Identifiers.normalizeMAC(text) { return ClaimIdentifier(kind: .mac, value: mac) }
        // A serial is one word of letters, digits and dashes (not a sentence, not a MAC typo).
        guard
            text.unicodeScalars.allSatisfy({
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-")
            })
        else { return nil }
        guard let serial = Identifiers.normalizeSerial(text), Identifiers.serialRejection(serial) == nil else {
            return nil
        }
        return ClaimIdentifier(kind: .serial, value: serial)
    }
}
