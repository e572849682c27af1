import ArgumentParser
import Foundation
import LedgerApp
import LedgerModel

extension Role: ExpressibleByArgument {}

/// The password from standard input (one line), never from the command line, where other
/// users of the machine and the shell's history would see it.
func passwordFromStdin() throws -> String {
    guard let line = Console.current.readLine(), !line.isEmpty else {
        throw ValidationError("--password-stdin: no password on standard input")
    }
    return line.hasSuffix("\r") ? String(line.dropLast()) : line
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "The console's users: admin (IT), liaison (one or more departments), auditor.",
        discussion: """
            Passwords are read from standard input (--password-stdin) and stored as bcrypt hashes of their \
            SHA-256 (so a long Chinese password is not cut at bcrypt's 72 bytes). A change of password, role, \
            departments or a disable ends the user's sessions.
            """,
        subcommands: [Add.self, Passwd.self, SetRole.self, Disable.self, Enable.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user.")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "Login (a-z, 0-9, '.', '_', '-').") var login: String
        @Option(help: "admin, liaison or auditor.") var role: Role
        @Option(help: "A liaison's department (repeat for several).") var dept: [String] = []
        @Flag(help: "Read the password from standard input (required).") var passwordStdin = false
        @Option(help: "table (a line of text) or json (UserOutput).") var format: ReportFormat = .table

        func validate() throws {
            guard passwordStdin else { throw ValidationError("give the password on standard input: --password-stdin") }
        }

        func run() async throws {
            let u = try options.service().addUser(
                login: login, role: role, departments: dept, password: try passwordFromStdin(), scope: .everything,
                actor: options.actor)
            try emit(
                format,
                line:
                    "user \(u.login) added: \(u.role)\(u.departments.isEmpty ? "" : " of " + u.departments.joined(separator: ", "))",
                json: u)
        }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a user's password (ends their sessions).")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "Login.") var login: String
        @Flag(help: "Read the password from standard input (required).") var passwordStdin = false
        @Option(help: "table (a line of text) or json (UserOutput).") var format: ReportFormat = .table

        func validate() throws {
            guard passwordStdin else { throw ValidationError("give the password on standard input: --password-stdin") }
        }

        func run() async throws {
            let u = try options.service().setPassword(
                login: login, password: try passwordFromStdin(), scope: .everything, actor: options.actor)
            try emit(format, line: "password of \(u.login) set; their sessions ended", json: u)
        }
    }

    struct SetRole: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Change a user's role and departments (ends their sessions).")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "Login.") var login: String
        @Option(help: "admin, liaison or auditor.") var role: Role
        @Option(help: "A liaison's department (repeat for several).") var dept: [String] = []
        @Option(help: "table (a line of text) or json (UserOutput).") var format: ReportFormat = .table

        func run() async throws {
            let u = try options.service().setRole(
                login: login, role: role, departments: dept, scope: .everything, actor: options.actor)
            try emit(format, line: "user \(u.login): \(u.role) \(u.departments.joined(separator: ", "))", json: u)
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable a user (ends their sessions, stops their tokens).")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "Login.") var login: String

        @Option(help: "table (a line of text) or json (UserOutput).") var format: ReportFormat = .table

        func run() async throws {
            let u = try options.service().setDisabled(login: login, true, scope: .everything, actor: options.actor)
            try emit(format, line: "user \(login) disabled", json: u)
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled user.")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "Login.") var login: String

        @Option(help: "table (a line of text) or json (UserOutput).") var format: ReportFormat = .table

        func run() async throws {
            let u = try options.service().setDisabled(login: login, false, scope: .everything, actor: options.actor)
            try emit(format, line: "user \(login) enabled", json: u)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users (never their passwords).")
        @OptionGroup var options: LedgerOptions
        @Option(help: "table, csv or json.") var format: OutputFormat = .table

        func run() async throws {
            let users = try options.service().listUsers(scope: .everything)
            try emit(
                format, header: ["login", "role", "departments", "disabled", "created_at"],
                rows: users.map {
                    [
                        $0.login, $0.role, $0.departments.joined(separator: " "), $0.disabled ? "yes" : "no",
                        $0.createdAt,
                    ]
                }, footer: "\(users.count) user(s)", json: users)
        }
    }
}

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "API tokens for scripts and collectors (Authorization: Bearer TOKEN).",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token for a user; it is printed once, the ledger keeps only its hash.")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "Login the token acts as.") var login: String
        @Option(help: "What the token is for (a collector's name).") var name: String = "token"
        @Flag(help: "A collector's token: it only delivers endpoint reports (POST /api/v1/reports).")
        var reportsOnly = false
        @Option(help: "table (the token alone, for scripts) or json (CreatedTokenOutput).")
        var format: ReportFormat = .table

        func run() async throws {
            let created = try options.service().issueToken(
                login: login, name: name, purpose: reportsOnly ? .reports : .api, scope: .everything,
                actor: options.actor)
            try emit(format, line: created.token, json: created)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never their secrets).")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "Only this user's tokens.") var login: String?
        @Option(help: "table, csv or json.") var format: OutputFormat = .table

        func run() async throws {
            let tokens = try options.service().listTokens(login: login, scope: .everything)
            try emit(
                format, header: ["id", "login", "name", "purpose", "created_at"],
                rows: tokens.map { [String($0.id), $0.login, $0.name, $0.purpose, $0.createdAt] },
                footer: "\(tokens.count) token(s)", json: tokens)
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a token (its id from token list): requests bearing it are refused at once.")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "The token's id.") var id: Int64

        @Option(help: "table (a line of text) or json (TokenOutput, as it was).") var format: ReportFormat = .table

        func run() async throws {
            let revoked = try options.service().revokeToken(id: id, scope: .everything, actor: options.actor)
            try emit(format, line: "revoked token \(id)", json: revoked)
        }
    }
}
