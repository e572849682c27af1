import ArgumentParser
import Foundation
import TestSupport
import Testing

@testable import AssetLedgerCLI

/// Every command's help, compared with the text committed in `Snapshots/`: a changed option,
/// abstract or default shows up in review as a diff of the help a user reads.
///
/// After an intended change: `UPDATE_SNAPSHOTS=1 swift test --filter HelpSnapshotTests`
/// rewrites the snapshots (and passes); commit them with the change.
@Suite struct HelpSnapshotTests {
    static let folder = Fixtures.file("Tests/AssetLedgerCLITests/Snapshots")
    static let updating = ProcessInfo.processInfo.environment["UPDATE_SNAPSHOTS"] == "1"

    /// Every command and subcommand with its path (`assetledger`, `assetledger dept import`...).
    static func commands() -> [(path: [String], type: any ParsableCommand.Type)] {
        func walk(_ type: any ParsableCommand.Type, _ path: [String]) -> [(
            path: [String], type: any ParsableCommand.Type
        )] {
            [(path, type)] + type.configuration.subcommands.flatMap { walk($0, path + [$0._commandName]) }
        }
        return walk(AssetLedgerCommand.self, ["assetledger"])
    }

    /// `assetledger dept import` -> `assetledger.dept.import.txt`.
    static func file(_ path: [String]) -> URL { folder.appendingPathComponent(path.joined(separator: ".") + ".txt") }

    @Test func everyCommandsHelpMatchesItsSnapshot() throws {
        let commands = Self.commands()
        #expect(commands.count > 20)
        if Self.updating { try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true) }
        for (path, type) in commands {
            let help = AssetLedgerCommand.helpMessage(for: type, columns: 100) + "\n"
            let url = Self.file(path)
            let name = path.joined(separator: " ")
            if Self.updating {
                try Data(help.utf8).write(to: url)
                continue
            }
            guard let data = FileManager.default.contents(atPath: url.path) else {
                Issue.record(
                    "no help snapshot for '\(name)' (\(url.path)): create it with UPDATE_SNAPSHOTS=1 swift test --filter HelpSnapshotTests, then commit it"
                )
                continue
            }
            let snapshot = String(decoding: data, as: UTF8.self)
            #expect(
                help == snapshot,
                "help of '\(name)' differs from \(url.lastPathComponent); if intended, rerun with UPDATE_SNAPSHOTS=1 and commit"
            )
        }
        // A snapshot whose command is gone would otherwise linger unnoticed.
        let expected = Set(commands.map { Self.file($0.path).lastPathComponent })
        let present = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter {
            $0.hasSuffix(".txt")
        }
        for stale in present where !expected.contains(stale) {
            if Self.updating {
                try FileManager.default.removeItem(at: Self.folder.appendingPathComponent(stale))
            } else {
                Issue.record("Snapshots/\(stale) belongs to no command: delete it (UPDATE_SNAPSHOTS=1 does)")
            }
        }
    }
}
