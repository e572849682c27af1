import Foundation
import Testing

@testable import AssetLedgerCLI

/// `user` and `token`: passwords only from standard input, roles checked, never printed.
@Suite struct UserCLITests {
    func run(_ s: Session, _ args: [String], input: [String] = []) async -> (output: String, error: (any Error)?) {
        let console = Console.capturing(input: input)
        do {
            try await Console.$current.withValue(console) { try await AssetLedgerCommand.run(args + ["--db", s.db]) }
            return (console.captured, nil)
        } catch {
            return (console.captured, error)
        }
    }

    @Test func usersAreAddedWithAPasswordFromStandardInputAndListedWithoutIt() async throws {
        let s = try await loadedSession()
        let added = await run(
            s, ["user", "add", "liming", "--role", "liaison", "--dept", "DZB", "--password-stdin"],
            input: ["李明的正版化口令2026"])
        #expect(added.error == nil && added.output.contains("user liming added: liaison of DZB"))
        #expect(
            await run(s, ["user", "add", "it", "--role", "admin", "--password-stdin"], input: ["admin-password"]).error
                == nil)
        // Refused: no --password-stdin, a liaison without a department, an admin with one, a short
        // password, an unknown department, a taken login, a bad login.
        for (args, input) in [
            (["user", "add", "x1", "--role", "admin"], ["password-1"]),
            (["user", "add", "x2", "--role", "liaison", "--password-stdin"], ["password-1"]),
            (["user", "add", "x3", "--role", "admin", "--dept", "DZB", "--password-stdin"], ["password-1"]),
            (["user", "add", "x4", "--role", "auditor", "--password-stdin"], ["short"]),
            (["user", "add", "x5", "--role", "liaison", "--dept", "NOPE", "--password-stdin"], ["password-1"]),
            (["user", "add", "it", "--role", "admin", "--password-stdin"], ["password-1"]),
            (["user", "add", "Bad Login", "--role", "admin", "--password-stdin"], ["password-1"]),
            (["user", "add", "x6", "--role", "boss", "--password-stdin"], ["password-1"]),
        ] {
            #expect(await run(s, args, input: input).error != nil, "\(args)")
        }
        let list = await run(s, ["user", "list", "--format", "json"])
        #expect(list.output.contains("\"login\" : \"liming\"") && !list.output.contains("口令"))
        #expect(!list.output.contains("password"))
        let token = await run(s, ["token", "create", "it", "--name", "collector-lab", "--reports-only"])
        #expect(token.output.hasPrefix("alt_") && token.output.count == 69)
        #expect(await run(s, ["user", "disable", "liming"]).output.contains("user liming disabled"))
        #expect(
            await run(s, ["user", "set", "liming", "--role", "liaison", "--dept", "CWC", "--dept", "DZB"]).output
                .contains("CWC, DZB"))
        #expect(await run(s, ["user", "passwd", "nobody", "--password-stdin"], input: ["password-2"]).error != nil)
        // Every change is in the audit log, the password never.
        let audit = try await s.run("audit", "--format", "json")
        #expect(audit.contains("user.add") && audit.contains("token.create") && audit.contains("user.change"))
        #expect(!audit.contains("李明的正版化口令2026") && !audit.contains("alt_"))
    }
}
