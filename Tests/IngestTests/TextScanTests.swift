import Foundation
import LedgerModel
import Testing

@testable import Ingest

/// The Swift string helpers the readers use instead of NSString give Foundation's answers,
/// on strings built from the pieces where they could differ: white space of every kind,
/// line ends, byte-order marks, combining marks, emoji modifiers, case-folding letters.
@Suite struct TextScanTests {
    static let pieces: [String] = [
        "a", "Z", "_", "=", "#", "\r", "\n", "\r\n", "\u{301}", "\u{FEFF}", "é", "e\u{301}", "🇺", " ", "\t",
        "\u{0B}", "\u{200B}", "\u{A0}", "\u{3000}", "\u{85}", "\u{2028}", "\u{1F3FB}", "\u{200D}", "\u{FE0F}",
        "\"", "'", "\u{0}", "\\", ":", ": ", " : ", "\u{0C}", "\u{2029}", "\\Uninstall\\", "\\UNINST", "\u{FB06}",
        "\"=\"", "=\"", "가", "\u{1161}", "k", "K", "\u{212A}", "ſ", "S", "b", "B", "KB", "1", "٣",
    ]

    /// Deterministic strings of up to `length` pieces.
    static func samples(_ count: Int, length: Int = 7) -> [String] {
        var random = SplitMix(seed: 0x5EED)
        return (0..<count).map { _ in
            (0..<Int(random.next() % UInt64(length + 1))).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }
                .joined()
        }
    }

    @Test func trimmingAndRemovingAsFoundation() {
        for s in Self.samples(20_000) {
            #expect(s.trimmingWhitespace() == s.trimmingCharacters(in: .whitespaces), "\(Array(s.unicodeScalars))")
            #expect(
                s.trimmingWhitespaceAndNewlines() == s.trimmingCharacters(in: .whitespacesAndNewlines),
                "\(Array(s.unicodeScalars))")
            #expect(s.isBlank == s.trimmingCharacters(in: .whitespaces).isEmpty, "\(Array(s.unicodeScalars))")
            #expect(
                s.trimming { $0 == "\"" || $0 == "'" } == s.trimmingCharacters(in: CharacterSet(charactersIn: "\"'")))
            for scalar in ["\r", "\u{FEFF}", "\u{0}"] as [Unicode.Scalar] {
                let ours = s.removingAll(scalar)
                let theirs = s.replacingOccurrences(of: String(scalar), with: "")
                #expect(Array(ours.unicodeScalars) == Array(theirs.unicodeScalars), "\(Array(s.unicodeScalars))")
            }
        }
    }

    @Test func namesComparedAsFoundation() {
        let names = Self.samples(3_000, length: 3) + ["HOST", "host", "Host", "hOsT", "hosts", "ſtate", "state"]
        for a in names.prefix(400) {
            for b in names {
                #expect(
                    InventoryNode.sameName(a, b) == (a.caseInsensitiveCompare(b) == .orderedSame),
                    "\(Array(a.unicodeScalars)) \(Array(b.unicodeScalars))")
            }
        }
    }

    @Test func kbNumbersAsTheRegexSearch() {
        let extra = ["KB2079403", "Security Update (kb123456)", "\u{212A}B12345", "KB١٢٣٤٥", "KB1234", "xKB123456789y"]
        for s in Self.samples(5_000, length: 9) + extra {
            let old = s.range(of: #"KB\d{5,8}"#, options: [.regularExpression, .caseInsensitive]).map {
                s[$0].uppercased()
            }
            #expect(WindowsRaw.kbNumber(s) == old, "\(Array(s.unicodeScalars))")
        }
    }

    @Test func osReleaseVariablesAsTheRegex() {
        for s in Self.samples(5_000) + ["NAME=x", "VERSION_ID=1", "=x", "name=x", "_=", "A"] {
            let old = s.range(of: #"^[A-Z_]+="#, options: .regularExpression) != nil
            #expect(CollectorOutput.startsWithVariable(s) == old, "\(Array(s.unicodeScalars))")
        }
    }

    @Test func searchAsFoundation() {
        for s in Self.samples(20_000, length: 9) {
            for needle in [": ", " : ", "\"=\"", "="] {
                #expect(s.literalRange(of: needle) == s.range(of: needle), "\(Array(s.unicodeScalars)) \(needle)")
                let sub = s.dropFirst()
                #expect(sub.literalRange(of: needle) == sub.range(of: needle), "\(Array(s.unicodeScalars)) \(needle)")
                if let mid = s.indices.dropFirst().first {
                    #expect(
                        s.literalRange(of: needle, range: mid..<s.endIndex)
                            == s.range(of: needle, range: mid..<s.endIndex), "\(Array(s.unicodeScalars)) \(needle)")
                }
            }
        }
    }

    @Test func linesAsCharacterSplit() {
        for s in Self.samples(20_000, length: 9) {
            let old = s.split(
                omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            let new = TextLines.split(s)
            #expect(old.map { $0.startIndex } == new.map { $0.startIndex }, "\(Array(s.unicodeScalars))")
            #expect(old.map { $0.endIndex } == new.map { $0.endIndex }, "\(Array(s.unicodeScalars))")
        }
    }

    @Test func declarationsFoundAsBefore() {
        let docs = [
            "<!DOCTYPE nmaprun>", "<!doctype x [<!ENTITY a 'b'>]>", "<?xml?>\n<!DOCTYPE  html >", "<!Entity",
            "<!DOCTYPEx>",
            "<a/>", "é<!DOCTYPE a>\n<!ENTITY", "<!DOCTYPE\u{301} a>", "x\n\n<!DOCTYPE a b>",
        ]
        for d in docs + Self.samples(2_000).map({ "<!DOCTYPE" + $0 + "<!ENTITY" }) {
            #expect(InventoryTree.firstDeclaration(in: Data(d.utf8)) == oldFirstDeclaration(d), "\(d)")
        }
    }

    /// InventoryTree.firstDeclaration as it was, all through Foundation.
    func oldFirstDeclaration(_ text: String) -> Int? {
        var found: [String.Index] = []
        if let r = text.range(of: "<!ENTITY", options: .caseInsensitive) { found.append(r.lowerBound) }
        var from = text.startIndex
        while let r = text.range(of: "<!DOCTYPE", options: .caseInsensitive, range: from..<text.endIndex) {
            let end = text[r.upperBound...].firstIndex(of: ">") ?? text.endIndex
            let rest = text[r.upperBound..<end]
            let name = rest.trimmingCharacters(in: .whitespacesAndNewlines)
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

    @Test func cutsAsCharacterSplits() {
        for s in Self.samples(20_000, length: 9) + ["a\tb\t\t", "\t", ""] {
            let lines = s.split(whereSeparator: \.isNewline)
            #expect(
                lines.map { $0.startIndex } == s.nonEmptyLines().map { $0.startIndex }, "\(Array(s.unicodeScalars))")
            #expect(lines.map { $0.endIndex } == s.nonEmptyLines().map { $0.endIndex }, "\(Array(s.unicodeScalars))")
            let fields = s.split(separator: "\t", omittingEmptySubsequences: false)
            #expect(fields == s.tabFields(), "\(Array(s.unicodeScalars))")
            #expect(fields.map { $0.startIndex } == s.tabFields().map { $0.startIndex })
            let noCR = s.removingAll("\r")
            #expect(noCR.split(separator: "\n", omittingEmptySubsequences: false) == noCR.pieces(cutAt: 0x0A))
            #expect(s.containsLiteral(": ") == s.contains(": "))
            #expect(
                s.caseInsensitiveRange(of: "\\Uninstall\\") == s.range(of: "\\Uninstall\\", options: .caseInsensitive),
                "\(Array(s.unicodeScalars))")
        }
    }
}
