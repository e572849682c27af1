import Foundation
import LedgerModel

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A parsed inventory document as a plain tree of named nodes with text, the common shape of
/// FusionInventory/GLPI XML and GLPI JSON (whose keys are the same names in lower case). Built
/// with hard limits so a hostile file cannot exhaust memory: depth, node count, text size.
public final class InventoryNode {
    public let name: String
    public var text = ""
    public var children: [InventoryNode] = []

    init(name: String) { self.name = name }

    /// The first child with this name (case-insensitive).
    public func child(_ name: String) -> InventoryNode? {
        children.first { Self.sameName($0.name, name) }
    }

    /// All children with this name (case-insensitive).
    public func all(_ name: String) -> [InventoryNode] {
        children.filter { Self.sameName($0.name, name) }
    }

    /// `a.caseInsensitiveCompare(b) == .orderedSame`, compared in Swift when both are ASCII
    /// (every name the readers ask for, and every name real files use): NSString would copy
    /// both into UTF-16 for each child of each lookup.
    static func sameName(_ a: String, _ b: String) -> Bool {
        var (x, y) = (a.utf8.makeIterator(), b.utf8.makeIterator())
        while true {
            switch (x.next(), y.next()) {
            case (nil, nil): return true
            case (let p?, let q?) where p < 0x80 && q < 0x80:
                if p == q { continue }
                func lower(_ c: UInt8) -> UInt8 { (0x41...0x5A).contains(c) ? c | 0x20 : c }
                if lower(p) != lower(q) { return false }
            case (let p, let q):
                // A non-ASCII byte (where Foundation's folding applies) or ASCII strings of
                // different lengths.
                if (p ?? 0) >= 0x80 || (q ?? 0) >= 0x80 || !a.utf8.allSatisfy({ $0 < 0x80 })
                    || !b.utf8.allSatisfy({ $0 < 0x80 })
                {
                    return a.caseInsensitiveCompare(b) == .orderedSame
                }
                return false
            }
        }
    }

    /// Trimmed text of a child, nil when missing or empty.
    public func value(_ name: String) -> String? {
        guard let t = child(name)?.text else { return nil }
        let s = t.trimmingWhitespaceAndNewlines()
        return s.isEmpty ? nil : s
    }

    /// Follows a path of child names.
    public func path(_ names: String...) -> InventoryNode? {
        var node: InventoryNode? = self
        for n in names { node = node?.child(n) }
        return node
    }
}

/// Limits on any inventory file.
public enum InventoryLimits {
    public static let maxBytes = 64 << 20
    public static let maxDepth = 32
    public static let maxNodes = 2_000_000
}

public enum InventoryTree {
    /// Parses XML. Documents declaring entities, an internal DTD subset or an external DTD are
    /// refused before parsing: that is where entity-expansion and external-entity attacks
    /// live. A bare `<!DOCTYPE name>` (nmap writes `<!DOCTYPE nmaprun>`) declares nothing and
    /// is accepted.
    public static func xml(_ data: Data, file: String) throws -> InventoryNode {
        guard data.count <= InventoryLimits.maxBytes else {
            throw InputError(file: file, line: nil, reason: "larger than \(InventoryLimits.maxBytes >> 20) MB")
        }
        if let doctype = firstDeclaration(in: data) {
            throw InputError(file: file, line: doctype, reason: "DOCTYPE or ENTITY declarations are not accepted")
        }
        // Foundation's XMLParser crashes on a name that is not valid UTF-8 (found by
        // Fuzz/inventory.swift): only UTF-8 reaches it, as every agent writes.
        try requireUTF8(data, file: file)
        if let line = emptyProcessingInstruction(in: data) {
            throw InputError(file: file, line: line, reason: "processing instruction without data")
        }
        let builder = XMLTreeBuilder()
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        let ok = parser.parse()
        if let error = builder.limitError {
            throw InputError(file: file, line: parser.lineNumber, reason: error)
        }
        // libxml2 recovers from some errors and parse() may still say yes: an error is a refusal.
        if let (error, line) = builder.firstError {
            throw InputError(file: file, line: max(1, line), reason: "malformed XML: \(error.localizedDescription)")
        }
        if ok, let open = builder.stack.last {
            throw InputError(
                file: file, line: max(1, parser.lineNumber), reason: "truncated: <\(open.name)> is never closed")
        }
        guard ok, let root = builder.root else {
            let reason =
                (builder.firstError?.error ?? parser.parserError).map { "malformed XML: \($0.localizedDescription)" }
                ?? "malformed XML"
            throw InputError(file: file, line: max(1, builder.firstError?.line ?? parser.lineNumber), reason: reason)
        }
        return root
    }

    /// Parses JSON into the same tree: object keys become node names, array items repeat the
    /// key's node, scalars become text.
    public static func json(_ data: Data, file: String) throws -> InventoryNode {
        guard data.count <= InventoryLimits.maxBytes else {
            throw InputError(file: file, line: nil, reason: "larger than \(InventoryLimits.maxBytes >> 20) MB")
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw InputError(file: file, line: nil, reason: "malformed JSON: \(error.localizedDescription)")
        }
        var count = 0
        func build(_ name: String, _ value: Any, depth: Int) throws -> [InventoryNode] {
            count += 1
            guard depth <= InventoryLimits.maxDepth else {
                throw InputError(file: file, line: nil, reason: "nested deeper than \(InventoryLimits.maxDepth) levels")
            }
            guard count <= InventoryLimits.maxNodes else {
                throw InputError(file: file, line: nil, reason: "more than \(InventoryLimits.maxNodes) values")
            }
            switch value {
            case let dict as [String: Any]:
                let node = InventoryNode(name: name)
                for (k, v) in dict.sorted(by: { $0.key < $1.key }) {
                    node.children += try build(k, v, depth: depth + 1)
                }
                return [node]
            case let array as [Any]:
                return try array.flatMap { try build(name, $0, depth: depth + 1) }
            case is NSNull:
                return [InventoryNode(name: name)]
            default:
                let node = InventoryNode(name: name)
                node.text = "\(value)"
                return [node]
            }
        }
        guard let root = try build("ROOT", object, depth: 0).first else {
            throw InputError(file: file, line: nil, reason: "empty JSON document")
        }
        return root
    }

    /// The line of the first processing instruction with a target and no data (`<?x?>`), which
    /// Foundation's XMLParser hands to strlen as a null pointer (found by Fuzz/nmapxml.swift).
    /// Instructions are never read here; those with data (`<?xml-stylesheet href=...?>`, which
    /// nmap writes) are harmless and accepted.
    static func emptyProcessingInstruction(in data: Data) -> Int? {
        let bytes = [UInt8](data)
        let (lt, question, gt) = (UInt8(ascii: "<"), UInt8(ascii: "?"), UInt8(ascii: ">"))
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        func isEnd(_ j: Int) -> Bool { bytes[j] == question && j + 1 < bytes.count && bytes[j + 1] == gt }
        var i = 0
        while i + 1 < bytes.count {
            guard bytes[i] == lt, bytes[i + 1] == question else {
                i += 1
                continue
            }
            // The target runs to white space or the end `?>`; data is whatever non-space follows.
            var j = i + 2
            while j < bytes.count, !isSpace(bytes[j]), !isEnd(j) { j += 1 }
            var hasData = false
            while j < bytes.count, !isEnd(j) {
                if !isSpace(bytes[j]) { hasData = true }
                j += 1
            }
            if !hasData {
                return bytes[..<i].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            }
            // Every `<?` is looked at on its own, even inside what looked like an earlier
            // instruction's data: libxml2 recovers from a bad target and reads the next `<?`
            // as an instruction of its own (found by Fuzz/nmapxml.swift: `<?'...<?x?>`).
            i += 2
        }
        return nil
    }

    /// Refuses bytes that are not UTF-8 (a byte-order mark is fine) and a declaration of any
    /// other encoding.
    static func requireUTF8(_ data: Data, file: String) throws {
        let body = data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data[...]
        var bytes = body.makeIterator()
        var decoder = UTF8()
        decoding: while true {
            switch decoder.decode(&bytes) {
            case .scalarValue: continue
            case .emptyInput: break decoding
            case .error:
                throw InputError(
                    file: file, line: TextDecoding.lineOf(invalidUTF8In: Data(body)), reason: "not UTF-8 text")
            }
        }
        let head = String(decoding: body.prefix(200), as: UTF8.self)
        if head.hasPrefix("<?xml"), let end = head.range(of: "?>"),
            let r = TextScan.firstMatch(encodingPattern, in: head, range: head.startIndex..<end.lowerBound)
        {
            let name = head[r].split(whereSeparator: { $0 == "\"" || $0 == "'" }).dropFirst().first ?? ""
            guard ["utf-8", "utf8"].contains(name.lowercased()) else {
                throw InputError(file: file, line: 1, reason: "encoding '\(name)' is not read: save the file as UTF-8")
            }
        }
    }

    /// The declared encoding in an XML declaration.
    static let encodingPattern = try! NSRegularExpression(
        pattern: #"encoding\s*=\s*["'][^"']*["']"#)

    /// The 1-based line of the first occurrence of any marker within the first megabyte.
    /// The line of the first DOCTYPE that declares something, or of the first ENTITY.
    static func firstDeclaration(in data: Data) -> Int? {
        let head = data.prefix(1 << 20)
        // Either declaration starts with a plain `<!` (no other character folds or decomposes
        // to it): a file without one declares nothing.
        guard zip(head, head.dropFirst()).contains(where: { $0 == UInt8(ascii: "<") && $1 == UInt8(ascii: "!") })
        else { return nil }
        let text = String(decoding: head, as: UTF8.self)
        // ASCII text is searched in Swift; Foundation's case-insensitive search, which folds
        // and composes Unicode, only where that can matter.
        let ascii = head.allSatisfy { $0 < 0x80 }
        func find(_ marker: String, from: String.Index) -> Range<String.Index>? {
            ascii
                ? TextScan.asciiCaseInsensitiveRange(of: marker, in: text, from: from)
                : text.range(of: marker, options: .caseInsensitive, range: from..<text.endIndex)
        }
        var found: [String.Index] = []
        if let r = find("<!ENTITY", from: text.startIndex) { found.append(r.lowerBound) }
        var from = text.startIndex
        while let r = find("<!DOCTYPE", from: from) {
            let end = text[r.upperBound...].firstIndex(of: ">") ?? text.endIndex
            let rest = text[r.upperBound..<end]
            let name = rest.trimmingWhitespaceAndNewlines()
            let bare =
                rest.first?.isWhitespace == true && !name.isEmpty
                && name.unicodeScalars.allSatisfy {
                    CharacterSet.alphanumerics.contains($0) || "_:.-".unicodeScalars.contains($0)
                }
            if !bare {
                found.append(r.lowerBound)
                break
            }
            from = r.upperBound
        }
        guard let first = found.min() else { return nil }
        return text[..<first].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
    }
}

/// Builds the tree from XMLParser events, enforcing the limits.
private final class XMLTreeBuilder: NSObject, XMLParserDelegate {
    var root: InventoryNode?
    var stack: [InventoryNode] = []
    var nodes = 0
    var textBytes = 0
    var limitError: String?

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        nodes += 1
        if stack.count >= InventoryLimits.maxDepth {
            fail(parser, "nested deeper than \(InventoryLimits.maxDepth) levels")
            return
        }
        if nodes > InventoryLimits.maxNodes {
            fail(parser, "more than \(InventoryLimits.maxNodes) elements")
            return
        }
        let node = InventoryNode(name: elementName)
        for (k, v) in attributes {
            let a = InventoryNode(name: k)
            a.text = v
            node.children.append(a)
        }
        if let parent = stack.last { parent.children.append(node) } else { root = node }
        stack.append(node)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        _ = stack.popLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        textBytes += string.utf8.count
        if textBytes > InventoryLimits.maxBytes {
            fail(parser, "more text than the file could hold: entity expansion?")
            return
        }
        stack.last?.text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        stack.last?.text += String(decoding: CDATABlock, as: UTF8.self)
    }

    /// The first error and its line: libxml2 goes on recovering and reporting after it, and
    /// the first is the one to show. (Stopping the parse there with `abortParsing()` crashes
    /// libxml2 inside `xmlParseChunk` — found by Fuzz/nmapxml.swift — so the parse runs on.
    /// Foundation's XMLParser leaks a few hundred bytes per reported error: the XML fuzz
    /// entries run with a larger RSS limit for it.)
    private(set) var firstError: (error: Error, line: Int)?

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        if firstError == nil { firstError = (parseError, parser.lineNumber) }
    }

    private func fail(_ parser: XMLParser, _ reason: String) {
        if limitError == nil { limitError = reason }
        parser.abortParsing()
    }
}
