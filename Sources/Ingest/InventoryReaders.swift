import Foundation
import LedgerModel

/// What an imported file holds: observations to merge, or one endpoint's inventory.
public enum ImportedContent {
    case observations([Observation])
    case endpoint(EndpointReport)
}

/// The first bytes of a file as text, for sniffing: decoded leniently (UTF-8, or UTF-16 after
/// its byte-order mark), the byte-order mark removed, and cut at the last line end when the file
/// goes on past the window, so no sniffer sees a half line. A sniffer only looks: the reader it
/// picks validates every line and field itself.
public struct SniffHead: Sendable {
    /// How many bytes are looked at.
    public static let window = 64 * 1024

    public let text: String
    /// False when the file is longer than the window.
    public let isWholeFile: Bool

    /// `data` is the whole file or at least its first `window` bytes; `fileSize` when only a
    /// part was read.
    public init(_ data: Data, fileSize: Int? = nil) {
        let size = fileSize ?? data.count
        let bytes = data.prefix(Self.window)
        isWholeFile = size <= Self.window && bytes.count == size
        var text: String
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let little = bytes.first == 0xFF
            var units: [UInt16] = []
            units.reserveCapacity(bytes.count / 2)
            var i = bytes.startIndex + 2
            while i + 1 < bytes.endIndex {
                let (a, b) = (UInt16(bytes[i]), UInt16(bytes[i + 1]))
                units.append(little ? a | b << 8 : a << 8 | b)
                i += 2
            }
            text = String(decoding: units, as: UTF16.self)
        } else {
            text = String(decoding: bytes, as: UTF8.self)
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        if !isWholeFile, let lastEnd = text.lastIndex(where: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            text = String(text[..<lastEnd])
        }
        self.text = text
    }

    /// The text without its leading white space.
    public var trimmed: Substring { text.drop(while: { $0.isWhitespace }) }
    public var looksLikeJSON: Bool { trimmed.hasPrefix("{") || trimmed.hasPrefix("[") }
    public var looksLikeXML: Bool { trimmed.hasPrefix("<") }
    /// The non-empty lines (without line ends or stray byte-order marks).
    public var lines: [Substring] {
        TextLines.split(text).map { $0.hasPrefix("\u{FEFF}") ? $0.dropFirst() : $0 }.filter { !$0.isEmpty }
    }
}

/// One importable format: how it is told from the content and how it is read.
///
/// `sniff` only looks at the head and may be wrong; `read` trusts nothing and refuses with
/// `InputError(file:line:reason:)` whatever it cannot read, including what `sniff` let through.
public protocol InventoryReader: SendableMetatype {
    static var format: ImportFormat { get }
    /// One line for the `import` command's help.
    static var summary: String { get }
    static func sniff(_ head: SniffHead, file: String) -> Bool
    static func read(_ data: Data, file: String) throws -> ImportedContent
}

/// Every format `import` reads, in the order they are tried (the first whose sniffer answers
/// yes reads the file). A new format is one `InventoryReader` and one line here.
public enum InventoryReaders {
    public static let all: [any InventoryReader.Type] = [
        OsqueryReader.self,  // before the JSON ones: a Fleet template starts with {{, a result log with {
        AssetLedgerReportReader.self,
        ObservationLinesReader.self,
        GLPIJSONReader.self,
        FusionInventoryXMLReader.self,
        OpenAuditXMLReader.self,
        NmapXMLReader.self,
        CollectorOutputReader.self,  // last: it sniffs plain text
    ]

    /// The formats as the `import` command's help lists them.
    public static var help: String {
        all.map { "  \($0.format.rawValue): \($0.summary)" }.joined(separator: "\n")
    }

    /// The reader for this head, or an `InputError` naming what is accepted.
    public static func detect(_ head: SniffHead, file: String) throws -> any InventoryReader.Type {
        if let reader = all.first(where: { $0.sniff(head, file: file) }) { return reader }
        throw InputError(
            file: file, line: 1,
            reason: "unrecognized format (expected \(all.map { $0.format.rawValue }.joined(separator: ", ")))")
    }

    public static func detect(_ data: Data, file: String) throws -> any InventoryReader.Type {
        try detect(SniffHead(data), file: file)
    }

    /// Detects the format and reads the file: the one entry for bytes already in memory.
    public static func read(_ data: Data, file: String) throws -> ImportedContent {
        try detect(data, file: file).read(data, file: file)
    }

    /// What `open` found in a file.
    public enum Input {
        /// Observations (JSON Lines), read batch by batch as the caller asks for them.
        case observationLines(ObservationStream)
        /// A file read whole, with the format it was read as.
        case content(ImportedContent, format: ImportFormat)
    }

    /// Opens a file for import: the format is sniffed from its head; observation JSON Lines are
    /// streamed (no size limit, each line bounded), every other format is read whole, up to
    /// `InventoryLimits.maxBytes`.
    public static func open(file path: String, batchSize: Int = ObservationStream.defaultBatch) throws -> Input {
        guard FileManager.default.isReadableFile(atPath: path), let handle = FileHandle(forReadingAtPath: path) else {
            throw InputError(file: path, line: nil, reason: "cannot read file")
        }
        defer { try? handle.close() }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        let headBytes: Data
        do { headBytes = try handle.read(upToCount: SniffHead.window) ?? Data() } catch {
            throw InputError(file: path, line: nil, reason: "cannot read file: \(error.localizedDescription)")
        }
        let reader = try detect(SniffHead(headBytes, fileSize: size), file: path)
        if reader.format == .observations {
            return .observationLines(try ObservationStream(path: path, batchSize: batchSize))
        }
        if let size, size > InventoryLimits.maxBytes {
            throw InputError(
                file: path, line: nil,
                reason: "file of \(size >> 20) MB is larger than the \(InventoryLimits.maxBytes >> 20) MB accepted")
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw InputError(file: path, line: nil, reason: "cannot read file: \(error.localizedDescription)")
        }
        return .content(try reader.read(data, file: path), format: reader.format)
    }
}

// MARK: The readers

/// Our collectors' endpoint report (docs/endpoint-report.schema.json).
public enum AssetLedgerReportReader: InventoryReader {
    public static let format = ImportFormat.assetledgerReport
    public static let summary = "AssetLedger endpoint report (JSON)"
    public static func sniff(_ head: SniffHead, file: String) -> Bool {
        head.looksLikeJSON && head.text.containsLiteral("\"\(AssetLedgerReportFile.schema)\"")
    }
    public static func read(_ data: Data, file: String) throws -> ImportedContent {
        .endpoint(try AssetLedgerReportFile.read(data, file: file))
    }
}

/// Observations, one JSON object per line (docs/SCHEMA.md).
public enum ObservationLinesReader: InventoryReader {
    public static let format = ImportFormat.observations
    public static let summary = "observations, one JSON object per line (streamed: any size)"
    public static func sniff(_ head: SniffHead, file: String) -> Bool {
        head.trimmed.hasPrefix("{") && head.text.containsLiteral("\"observed_at\"")
            && head.text.containsLiteral("\"source\"")
    }
    public static func read(_ data: Data, file: String) throws -> ImportedContent {
        .observations(try ObservationFile.read(data, file: file))
    }
}

/// GLPI inventory JSON (the `inventory_format` schema).
public enum GLPIJSONReader: InventoryReader {
    public static let format = ImportFormat.glpiJSON
    public static let summary = "GLPI inventory JSON (inventory_format)"
    public static func sniff(_ head: SniffHead, file: String) -> Bool {
        head.trimmed.hasPrefix("{") && head.text.containsLiteral("\"content\"")
    }
    public static func read(_ data: Data, file: String) throws -> ImportedContent {
        .endpoint(try GLPIInventory.json(data, file: file))
    }
}

/// FusionInventory / GLPI-agent / OCS XML (`REQUEST/CONTENT`).
public enum FusionInventoryXMLReader: InventoryReader {
    public static let format = ImportFormat.fusionInventoryXML
    public static let summary = "FusionInventory/GLPI-agent/OCS XML (REQUEST/CONTENT)"
    public static func sniff(_ head: SniffHead, file: String) -> Bool {
        head.looksLikeXML && head.text.range(of: "<REQUEST", options: .caseInsensitive) != nil
    }
    public static func read(_ data: Data, file: String) throws -> ImportedContent {
        .endpoint(try GLPIInventory.xml(data, file: file))
    }
}

/// Open-AudIT audit XML (`<system>`).
public enum OpenAuditXMLReader: InventoryReader {
    public static let format = ImportFormat.openAuditXML
    public static let summary = "Open-AudIT audit XML (<system>)"
    public static func sniff(_ head: SniffHead, file: String) -> Bool {
        head.looksLikeXML && (head.text.containsLiteral("<system>") || head.text.containsLiteral("<system "))
    }
    public static func read(_ data: Data, file: String) throws -> ImportedContent {
        .endpoint(try OpenAuditInventory.xml(data, file: file))
    }
}

/// osquery result logs (JSON Lines with `name` and `columns` or `snapshot`) and Fleet's
/// detail-query templates.
public enum OsqueryReader: InventoryReader {
    public static let format = ImportFormat.osquery
    public static let summary = "osquery result logs (JSON Lines) or Fleet detail-query templates"
    public static func sniff(_ head: SniffHead, file: String) -> Bool {
        if head.trimmed.hasPrefix("{{") { return head.text.containsLiteral("fleet_detail_query") }
        return head.trimmed.hasPrefix("{") && head.text.containsLiteral("\"hostIdentifier\"")
            && head.text.containsLiteral("\"name\"")
    }
    public static func read(_ data: Data, file: String) throws -> ImportedContent {
        .endpoint(try OsqueryInventory.read(data, file: file))
    }
}

/// nmap's XML output (`-oX`): observations of the hosts it found.
public enum NmapXMLReader: InventoryReader {
    public static let format = ImportFormat.nmapXML
    public static let summary = "nmap XML (-oX): one observation per host that was up"
    public static func sniff(_ head: SniffHead, file: String) -> Bool {
        head.looksLikeXML && head.text.containsLiteral("<nmaprun")
    }
    public static func read(_ data: Data, file: String) throws -> ImportedContent {
        .observations(try NmapXML.read(data, file: file))
    }
}

/// The raw outputs collectors read (`CollectorOutput.Kind`); most name no machine.
public enum CollectorOutputReader: InventoryReader {
    public static let format = ImportFormat.collectorOutput
    public static let summary =
        "raw collector output (\(CollectorOutput.Kind.allCases.map(\.rawValue).joined(separator: ", ")));"
        + " most need --device"
    public static func sniff(_ head: SniffHead, file: String) -> Bool {
        CollectorOutput.kind(head) != nil
    }
    public static func read(_ data: Data, file: String) throws -> ImportedContent {
        .endpoint(try CollectorOutput.read(data, file: file))
    }
}
