import ArgumentParser
import Foundation
import Ingest
import LedgerApp
import LedgerModel
import Reports

struct StaffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff", abstract: "The staff list who sign the licensed-software commitment (承诺书).",
        subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the staff list with a CSV file (all or nothing).",
            discussion: """
                Header: \(StaffFile.header.joined(separator: ",")). The file is the whole list: employees \
                not in it are removed with their signed commitments; those still in it keep theirs. The \
                department must exist; a duplicate employee id refuses the file (FILE:LINE: reason).
                """)
        @OptionGroup var options: LedgerOptions
        @Argument(help: "CSV file.") var file: String
        @Option(help: "table (a line of text) or json (StaffImportOutput).") var format: ReportFormat = .table

        func run() async throws {
            let r = try options.service().importStaff(file: file, scope: .everything, actor: options.actor)
            try emit(
                format,
                line:
                    "\(file): \(r.staff) employee(s): \(r.added) added, \(r.updated) updated, \(r.removed) removed (\(r.commitmentsRemoved) commitment(s) with them)",
                json: r)
        }
    }
}

struct CommitmentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commitment", abstract: "Signed licensed-software commitments (使用正版软件承诺书): import, sign, status.",
        subcommands: [Import.self, Sign.self, Status.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record signed commitments from a CSV file (all or nothing).",
            discussion: """
                Header: \(CommitmentFile.header.joined(separator: ",")); signed_at YYYY-MM-DD, text_year the \
                year of the commitment's text. An employee not on the staff list refuses the file \
                (FILE:LINE: reason); a signature already recorded for the same employee and year is replaced.
                """)
        @OptionGroup var options: LedgerOptions
        @Argument(help: "CSV file.") var file: String
        @Option(help: "table (a line of text) or json (CommitmentImportOutput).") var format: ReportFormat = .table

        func run() async throws {
            let r = try options.service().importCommitments(file: file, scope: .everything, actor: options.actor)
            try emit(format, line: "\(file): \(r.imported) commitment(s) recorded", json: r)
        }
    }

    struct Sign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record one employee's signed commitment.")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "Employee id (工号).") var employee: String
        @Option(help: "Year of the commitment's text, e.g. 2026.") var year: Int
        @Option(help: "Day signed, YYYY-MM-DD (default today).") var date: String?
        @Option(help: "table (a line of text) or json (CommitmentOutput).") var format: ReportFormat = .table

        func run() async throws {
            let c = try options.service().signCommitment(
                employee: employee, year: year, day: date, scope: .everything, actor: options.actor)
            try emit(
                format,
                line:
                    "\(c.employeeId) \(c.name) (\(c.department)) signed the \(c.textYear) commitment on \(c.signedAt ?? "")",
                json: c)
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Commitment coverage by department, or (--unsigned) who has not signed.",
            discussion: """
                Per department with staff: staff, signed, unsigned, share of that year's text. \
                --format xlsx --output FILE writes both tables as sheets (签署情况, 未签名单).
                """)
        @OptionGroup var options: LedgerOptions
        @Option(help: "Department code (sub-departments included).") var dept: String?
        @Option(help: "Year of the commitment's text (default this year).") var year: Int?
        @Flag(help: "List the staff who have not signed instead.") var unsigned = false
        @Option(help: "table, csv, json or xlsx (with --output).") var format: SheetFormat = .table
        @Option(name: [.short, .long], help: "The workbook to write (--format xlsx).") var output: String?
        @Option(help: "Header language: zh or en.") var lang: Lang = .zh

        func validate() throws { try checkOutput(format, output) }

        func run() async throws {
            let service = try options.service()
            let coverage = try service.commitmentCoverage(department: dept, year: year, scope: .everything)
            let coverageHeader = lang.header([
                ("部门", "department"), ("名称", "name"), ("年度", "year"), ("教职工", "staff"), ("已签", "signed"),
                ("未签", "unsigned"), ("签署率", "share"),
            ])
            let unsignedHeader = lang.header([
                ("工号", "employee_id"), ("姓名", "name"), ("部门", "department"), ("邮箱", "email"),
            ])
            guard let rowFormat = format.rows, format != .xlsx else {
                let people = try service.unsignedStaff(department: dept, year: year, scope: .everything)
                try writeWorkbook(
                    [
                        ReportSheet(
                            name: lang == .zh ? "签署情况" : "Coverage", header: coverageHeader,
                            rows: coverage.map {
                                [
                                    .text($0.department), .text($0.name), .int($0.textYear), .int($0.staff),
                                    .int($0.signed), .int($0.unsigned), .share($0.share),
                                ]
                            }),
                        ReportSheet(
                            name: lang == .zh ? "未签名单" : "Unsigned", header: unsignedHeader,
                            rows: people.map {
                                [.text($0.employeeId), .text($0.name), .text($0.department), .text($0.email ?? "")]
                            }),
                    ], to: output ?? "")
                return
            }
            if unsigned {
                let list = try service.unsignedStaff(department: dept, year: year, scope: .everything)
                let rows = list.map { [$0.employeeId, $0.name, $0.department, $0.email ?? ""] }
                try emit(rowFormat, header: unsignedHeader, rows: rows, footer: "\(list.count) not signed", json: list)
                return
            }
            let rows = coverage.map { c in
                [
                    c.department, c.name, String(c.textYear), String(c.staff), String(c.signed), String(c.unsigned),
                    String(format: "%.1f%%", c.share * 100),
                ]
            }
            let staff = coverage.reduce(0) { $0 + $1.staff }
            let signed = coverage.reduce(0) { $0 + $1.signed }
            try emit(
                rowFormat, header: coverageHeader, rows: rows, footer: "\(signed) of \(staff) signed", json: coverage)
        }
    }
}
