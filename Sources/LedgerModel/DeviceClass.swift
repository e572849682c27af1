/// What kind of thing a device is. The vocabulary is fixed: reports, rules and the JSON output use
/// exactly these raw values.
public enum DeviceClass: String, CaseIterable, Codable, Sendable {
    case printer, mfp, fax, display, pc, server, network, other, unknown

    /// The Chinese label reports and pages show.
    public var label: String {
        switch self {
        case .printer: "打印机"
        case .mfp: "多功能一体机"
        case .fax: "传真机"
        case .display: "显示设备"
        case .pc: "计算机"
        case .server: "服务器"
        case .network: "网络设备"
        case .other: "其他设备"
        case .unknown: "未识别设备"
        }
    }

    /// Parses a class name as given on the command line or in a file (case-insensitive).
    public init?(word: String) {
        self.init(rawValue: word.trimmingCharacters(in: .whitespaces).lowercased())
    }
}
