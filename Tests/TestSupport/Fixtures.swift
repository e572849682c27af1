import Foundation
import Testing

/// Where the tests' files are: this repository (fixtures/sample, scanners/, docs/, the sources)
/// and the shared corpus beside it (`../shared/fixtures/{pcap,snmprec,agents}`). Every test
/// target finds them here, so no test computes a path from its own `#filePath`.
public enum Fixtures {
    /// The repository's root: this file is `Tests/TestSupport/Fixtures.swift` in it.
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/fixtures`, beside the repository (not in it).
    public static let sharedFixtures = repository.deletingLastPathComponent()
        .appendingPathComponent("shared/fixtures")

    /// A file or folder of the shared corpus: `shared("pcap/3560_CDP.pcap")`, `shared("agents")`.
    public static func shared(_ relative: String) -> URL { sharedFixtures.appendingPathComponent(relative) }

    /// A capture in `../shared/fixtures/pcap`.
    public static func pcap(_ name: String) -> URL { shared("pcap/\(name)") }

    /// An SNMP recording (or `labels.tsv`) in `../shared/fixtures/snmprec`.
    public static func snmprec(_ name: String) -> URL { shared("snmprec/\(name)") }

    /// An agent inventory or raw collector output in `../shared/fixtures/agents`.
    public static func agents(_ relative: String) -> URL { shared("agents/\(relative)") }

    /// The sample campus shipped in `fixtures/sample`.
    public static func sample(_ name: String) -> URL { repository.appendingPathComponent("fixtures/sample/\(name)") }

    /// A shipped rule file, collector or README in `scanners/`.
    public static func scanners(_ name: String) -> URL { repository.appendingPathComponent("scanners/\(name)") }

    /// A document in `docs/`.
    public static func docs(_ name: String) -> URL { repository.appendingPathComponent("docs/\(name)") }

    /// Any other file of the repository, by its path in it (`Sources/Discovery`).
    public static func file(_ relative: String) -> URL { repository.appendingPathComponent(relative) }

    /// The names of every capture (pcap or pcapng) in `../shared/fixtures/pcap`, sorted.
    public static func captureNames(sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
        try readable(shared("pcap"), sourceLocation: sourceLocation)
        return try FileManager.default.contentsOfDirectory(atPath: shared("pcap").path)
            .filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") }.sorted()
    }

    /// `url` if it can be read; otherwise the test fails (an issue is recorded and this throws):
    /// a missing fixture is never a skip, so a test cannot pass by not looking.
    @discardableResult
    public static func readable(_ url: URL, sourceLocation: SourceLocation = #_sourceLocation) throws -> URL {
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            let missing = FixtureMissing(path: url.path)
            Issue.record(Comment(rawValue: missing.description), sourceLocation: sourceLocation)
            throw missing
        }
        return url
    }

    /// The bytes of a fixture; a missing or unreadable one fails the test (see `readable`).
    public static func read(_ url: URL, sourceLocation: SourceLocation = #_sourceLocation) throws -> Data {
        try Data(contentsOf: readable(url, sourceLocation: sourceLocation))
    }

    /// The text of a fixture, which must be UTF-8; a missing or unreadable one fails the test.
    public static func text(_ url: URL, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try String(contentsOf: readable(url, sourceLocation: sourceLocation), encoding: .utf8)
    }
}

/// A fixture that is not there or cannot be read.
public struct FixtureMissing: Error, CustomStringConvertible {
    public var path: String
    public var description: String {
        "\(path): fixture missing or unreadable (../shared must be beside the project)"
    }
}
