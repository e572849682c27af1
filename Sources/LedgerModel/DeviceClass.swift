/// What kind of thing a device is. The vocabulary is fixed: reports, rules and the JSON output use
/// exactly these raw values.
public enum DeviceClass: String, CaseIterable, Codable, Sendable {
    case printer, mfp, fax, display, pc, server, network, other, unknown

    /// Parses a class name as given on the command line or in a file (case-insensitive).
    public init?(word: String) {
        self.init(rawValue: word.trimmingCharacters(in: .whitespaces).lowercased())
    }
}
