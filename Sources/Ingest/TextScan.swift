import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The string operations every reader does on every line, in Swift rather than through
/// NSString: on Linux each `trimmingCharacters(in:)` or `replacingOccurrences(of:with:)` copies
/// the string into UTF-16 and back, which made the line readers cost milliseconds per file of
/// a few kilobytes. The results are Foundation's own (Tests/IngestTests/TextScanTests.swift
/// checks them against it).
enum TextScan {
    static let whitespaces = CharacterSet.whitespaces
    static let whitespacesAndNewlines = CharacterSet.whitespacesAndNewlines

    /// Foundation's `CharacterSet.whitespaces`: in ASCII only space and tab.
    @inline(__always) static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        s.isASCII ? s.value == 0x20 || s.value == 0x09 : whitespaces.contains(s)
    }

    /// Foundation's `CharacterSet.whitespacesAndNewlines`: in ASCII tab to carriage return, and space.
    @inline(__always) static func isWhitespaceOrNewline(_ s: Unicode.Scalar) -> Bool {
        s.isASCII ? s.value == 0x20 || (0x09...0x0D).contains(s.value) : whitespacesAndNewlines.contains(s)
    }

    /// `text.range(of: pattern, options: .regularExpression, range:)` with the pattern compiled
    /// once (Foundation compiles it on every call, behind a cache of ten): the same first match,
    /// its range turned into indices as Foundation does.
    static func firstMatch(
        _ regex: NSRegularExpression, in text: String, range: Range<String.Index>? = nil
    ) -> Range<String.Index>? {
        let searched = range ?? text.startIndex..<text.endIndex
        let utf16 = text.utf16
        let from = utf16.distance(from: utf16.startIndex, to: searched.lowerBound)
        let length = utf16.distance(from: searched.lowerBound, to: searched.upperBound)
        let m = regex.rangeOfFirstMatch(in: text, range: NSRange(location: from, length: length))
        guard m.location != NSNotFound else { return nil }
        let lower = utf16.index(utf16.startIndex, offsetBy: m.location)
        return lower..<utf16.index(lower, offsetBy: m.length)
    }

    /// `text.range(of: needle, options: .caseInsensitive, range: from..<text.endIndex)` for an
    /// ASCII needle in ASCII text (where case folding is A-Z to a-z and nothing composes).
    static func asciiCaseInsensitiveRange(
        of needle: String, in text: String, from: String.Index
    ) -> Range<String.Index>? {
        func lower(_ c: UInt8) -> UInt8 { (0x41...0x5A).contains(c) ? c | 0x20 : c }
        let wanted = needle.utf8.map(lower)
        guard let first = wanted.first else { return nil }
        let utf8 = text.utf8
        var i = from
        while i < utf8.endIndex {
            if lower(utf8[i]) == first {
                var j = utf8.index(after: i)
                var k = 1
                while k < wanted.count, j < utf8.endIndex, lower(utf8[j]) == wanted[k] {
                    j = utf8.index(after: j)
                    k += 1
                }
                if k == wanted.count { return i..<j }
            }
            i = utf8.index(after: i)
        }
        return nil
    }
}

extension StringProtocol {
    /// `trimmingCharacters(in:)` for a set given as a test on scalars (NSString trims whole
    /// scalars too, whatever the grapheme clusters).
    func trimming(where isTrimmed: (Unicode.Scalar) -> Bool) -> String {
        let scalars = Substring(self).unicodeScalars
        guard let first = scalars.firstIndex(where: { !isTrimmed($0) }),
            let last = scalars.lastIndex(where: { !isTrimmed($0) })
        else { return "" }
        return String(scalars[first...last])
    }

    /// `trimmingCharacters(in: .whitespaces)`.
    func trimmingWhitespace() -> String { trimming(where: TextScan.isWhitespace) }

    /// `trimmingCharacters(in: .whitespacesAndNewlines)`.
    func trimmingWhitespaceAndNewlines() -> String { trimming(where: TextScan.isWhitespaceOrNewline) }

    /// `trimmingCharacters(in: .whitespaces).isEmpty`.
    var isBlank: Bool { unicodeScalars.allSatisfy(TextScan.isWhitespace) }

    /// `replacingOccurrences(of: String(scalar), with: "")`. Foundation's search compares
    /// composed character sequences, so a scalar followed by a non-ASCII one (which NSString
    /// may cluster with it) is left to Foundation; otherwise every occurrence goes, in Swift.
    func removingAll(_ scalar: Unicode.Scalar) -> String {
        var text = Substring(self)
        var unwanted = Array(String(scalar).utf8)
        // The C library's memchr and memcmp find the occurrences (most texts hold none, and the
        // fuzz targets' instrumentation would otherwise trace every byte); nil: one is followed
        // by a non-ASCII scalar. UTF-8 is self-synchronizing: the bytes match only where the
        // scalar is.
        let hits: [Int]? = text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return [] }
            var hits: [Int] = []
            var at = 0
            while bytes.count - at >= unwanted.count {
                guard let hit = memchr(base + at, Int32(unwanted[0]), bytes.count - at - unwanted.count + 1) else {
                    break
                }
                let offset = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                guard memcmp(base + offset, &unwanted, unwanted.count) == 0 else {
                    at = offset + 1
                    continue
                }
                at = offset + unwanted.count
                if at < bytes.count, bytes[at] >= 0x80 { return nil }
                hits.append(offset)
            }
            return hits
        }
        guard let hits else { return text.replacingOccurrences(of: String(scalar), with: "") }
        if hits.isEmpty { return String(text) }
        return text.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var start = 0
            for h in hits {
                out.append(contentsOf: bytes[start..<h])
                start = h + unwanted.count
            }
            out.append(contentsOf: bytes[start...])
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// `contains(needle)` (Foundation's, which is `range(of:) != nil`) for an ASCII needle.
    func containsLiteral(_ needle: String) -> Bool { literalRange(of: needle) != nil }

    /// `split(whereSeparator: \.isNewline)`, cut on scalars: each Character that is a newline
    /// (LF, CR, CR LF, VT, FF, NEL, LS, PS) is one of these scalars, or CR LF, on its own.
    func nonEmptyLines() -> [Substring] {
        let text = Substring(self)
        let scalars = text.unicodeScalars
        var lines: [Substring] = []
        var start = scalars.startIndex
        var i = start
        while i < scalars.endIndex {
            switch scalars[i].value {
            case 0x0A...0x0D, 0x85, 0x2028, 0x2029:
                if start < i { lines.append(text[start..<i]) }
                i = scalars.index(after: i)
                start = i
            default:
                i = scalars.index(after: i)
            }
        }
        if start < scalars.endIndex { lines.append(text[start..<scalars.endIndex]) }
        return lines
    }

    /// `range(of: needle)` (or within `range`) for an ASCII needle. Foundation's search
    /// compares composed character sequences, so only an occurrence followed by a non-ASCII
    /// scalar (which NSString may cluster with it) sends the search to Foundation; otherwise the
    /// first occurrence of the bytes is its answer.
    func literalRange(of needle: String, range: Range<Index>? = nil) -> Range<Index>? {
        var text = Substring(self)
        let origin = text.startIndex
        let searched = range.map { $0.lowerBound..<$0.upperBound } ?? text.startIndex..<text.endIndex
        let lower = text.utf8.distance(from: origin, to: searched.lowerBound)
        let upper = text.utf8.distance(from: origin, to: searched.upperBound)
        var wanted = Array(needle.utf8)
        guard !wanted.isEmpty else { return self.range(of: needle, range: range) }
        // The C library's memchr and memcmp: the byte search is most of what a sniffer does,
        // and the fuzz targets' instrumentation would otherwise trace every byte compared.
        let found: (offset: Int, followedByNonASCII: Bool)? = text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return nil }
            var at = lower
            while upper - at >= wanted.count {
                guard let hit = memchr(base + at, Int32(wanted[0]), upper - at - wanted.count + 1) else { return nil }
                let offset = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if memcmp(base + offset, &wanted, wanted.count) == 0 {
                    let after = offset + wanted.count
                    return (offset, after < bytes.count && bytes[after] >= 0x80)
                }
                at = offset + 1
            }
            return nil
        }
        guard let found else { return nil }
        if found.followedByNonASCII { return self.range(of: needle, range: range) }
        let utf8 = Substring(self).utf8
        let start = utf8.index(origin, offsetBy: found.offset)
        return start..<utf8.index(start, offsetBy: wanted.count)
    }

    /// `split(separator: "\t", omittingEmptySubsequences: false)`, cut on bytes (a tab is
    /// always a Character of its own).
    func tabFields() -> [Substring] { pieces(cutAt: 0x09) }

    /// `split(separator: Character(byte), omittingEmptySubsequences: false)` for a tab or LF
    /// (control characters: never part of a longer Character, except LF after CR).
    func pieces(cutAt byte: UInt8) -> [Substring] {
        let text = Substring(self)
        let utf8 = text.utf8
        var fields: [Substring] = []
        var start = utf8.startIndex
        var i = start
        while i < utf8.endIndex {
            if utf8[i] == byte {
                fields.append(text[start..<i])
                start = utf8.index(after: i)
            }
            i = utf8.index(after: i)
        }
        fields.append(text[start..<utf8.endIndex])
        return fields
    }

    /// `range(of: needle, options: .caseInsensitive)` for an ASCII needle: in Swift when the
    /// text is ASCII too, else through Foundation (which folds Unicode: K is also the Kelvin sign).
    func caseInsensitiveRange(of needle: String) -> Range<Index>? {
        let text = String(self)
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else { return range(of: needle, options: .caseInsensitive) }
        return TextScan.asciiCaseInsensitiveRange(of: needle, in: text, from: text.startIndex)
    }

    /// Whether the text holds this scalar anywhere.
    func containsScalar(_ scalar: Unicode.Scalar) -> Bool { unicodeScalars.contains(scalar) }
}
