import Foundation

/// The head of an HTTP/1.x message — SSDP's NOTIFY and M-SEARCH answers (HTTP over UDP), and
/// what a web interface answers — with case-insensitive header lookup, plus the HTML title.
public struct HTTPHead: Equatable, Sendable {
    /// `NOTIFY * HTTP/1.1`, `HTTP/1.1 200 OK`, ...
    public var startLine: String
    /// Header names lower-cased; a repeated header keeps its first value.
    public var headers: [String: String]
    /// Bytes after the blank line.
    public var body: ArraySlice<UInt8>

    public subscript(_ name: String) -> String? { headers[name.lowercased()] }

    /// Status code of a response, nil for a request.
    public var status: Int? {
        let parts = startLine.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/") else { return nil }
        return Int(parts[1])
    }

    public static let maxHeadBytes = 16 * 1024

    public static func parse(_ input: ArraySlice<UInt8>) throws -> HTTPHead {
        let bytes = Array(input)
        var end: Int?
        var i = 0
        while i + 1 < min(bytes.count, maxHeadBytes) {
            if bytes[i] == 0x0A && bytes[i + 1] == 0x0A { end = i + 2; break }
            if i + 3 < bytes.count && bytes[i] == 0x0D && bytes[i + 1] == 0x0A && bytes[i + 2] == 0x0D
                && bytes[i + 3] == 0x0A
            {
                end = i + 4
                break
            }
            i += 1
        }
        // SSDP packets often end with the headers: the whole datagram is then the head.
        let headEnd = end ?? min(bytes.count, maxHeadBytes)
        guard bytes.count <= maxHeadBytes || end != nil else {
            throw CodecError("http", maxHeadBytes, "head longer than 16 KB")
        }
        let text = String(decoding: bytes[..<headEnd], as: UTF8.self)
        let lines = text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline)
        guard let first = lines.first, first.contains(" "), first.contains("HTTP/") else {
            throw CodecError("http", 0, "no HTTP start line")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            if headers[name] == nil {
                headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return HTTPHead(startLine: String(first), headers: headers, body: bytes[headEnd...])
    }

    /// The `<title>` of an HTML body (first 64 KB), whitespace collapsed.
    public static func title(_ body: ArraySlice<UInt8>) -> String? {
        let text = String(decoding: body.prefix(64 * 1024), as: UTF8.self)
        guard let open = text.range(of: "<title", options: .caseInsensitive),
            let close = text.range(of: ">", range: open.upperBound..<text.endIndex),
            let end = text.range(of: "</title", options: .caseInsensitive, range: close.upperBound..<text.endIndex)
        else { return nil }
        let title = text[close.upperBound..<end.lowerBound].split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return title.isEmpty ? nil : title
    }
}
