import Mustache

/// Markup written by `HTMLWriter`: its markup came from string literals in the code and every
/// piece of text in it was escaped on the way in. The one kind of value a template shows
/// unescaped (`{{{ }}}`); `Templates.render` drops anything else given under such a name
/// (`Templates.unescaped`).
struct SafeHTML: MustacheCustomRenderable, Sendable {
    let renderText: String
    var isNull: Bool { false }
    fileprivate init(_ text: String) { renderText = text }
}

/// Writes a block of HTML that a template would otherwise render value by value (a list page's
/// fifty rows of nine cells: through mustache's per-name lookups and per-character escaping that
/// was most of the page's time). Markup is `StaticString` only, so no value can be passed as
/// markup; text is escaped as mustache escapes it (`& < > " '`).
struct HTMLWriter {
    private var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    /// Markup written as it is: a literal of the code.
    mutating func markup(_ literal: StaticString) {
        literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Text, escaped.
    mutating func text(_ s: String) {
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "&"): bytes.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): bytes.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): bytes.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): bytes.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): bytes.append(contentsOf: "&#39;".utf8)
            default: bytes.append(b)
            }
        }
    }

    mutating func text(_ n: Int64) { bytes.append(contentsOf: String(n).utf8) }

    /// `<td>text</td>`.
    mutating func cell(_ s: String) {
        markup("<td>")
        text(s)
        markup("</td>")
    }

    var html: SafeHTML { SafeHTML(String(decoding: bytes, as: UTF8.self)) }
}
