import ArgumentParser
import Foundation
import Ingest
import LedgerApp
import LedgerModel
import Reports

/// `--format` of `report`.
enum CollegeReportFormat: String, ExpressibleByArgument, CaseIterable {
    case html, xlsx, csv, json
}

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "The legalization report of the college or one department (HTML, XLSX, CSV, JSON).",
        discussion: """
            Devices by class, compliance rates by category and department, every unlicensed install, the \
            self-check's progress (the newest self-check campaign, or --campaign), the security check's results \
            (the newest, or --security-check), the domestic share, the usage summary and the commitments' \
            coverage (--year, default the year of --at). --format html writes one printable page with its \
            charts drawn as SVG (to --output, else standard output); xlsx writes one sheet per table \
            (--output FILE.xlsx); csv writes one UTF-8 file with BOM per table into the folder --output; \
            json prints the report's data. Chinese labels by default, --lang en for English.
            """)
    @OptionGroup var options: LedgerOptions
    @OptionGroup var catalog: CatalogOptions
    @Option(help: "Department code (sub-departments included).") var dept: String?
    @Option(help: "Judge as of this day (YYYY-MM-DD), default today.") var at: String?
    @Option(help: "The self-check campaign to show (default the newest).") var campaign: Int64?
    @Option(help: "The security check to show (default the newest).") var securityCheck: Int64?
    @Option(help: "Year of the commitment text (default the year of --at).") var year: Int?
    @Option(help: "html, xlsx, csv or json.") var format: CollegeReportFormat = .html
    @Option(name: [.short, .long], help: "The file (html, xlsx) or folder (csv) to write.") var output: String?
    @Option(help: "Label language: zh or en.") var lang: Lang = .zh

    func validate() throws {
        if let at, parseDate(at) == nil || at.count != 10 {
            throw ValidationError("--at '\(at)' is not a day YYYY-MM-DD")
        }
        switch format {
        case .xlsx where output == nil: throw ValidationError("--format xlsx needs --output FILE.xlsx")
        case .csv where output == nil: throw ValidationError("--format csv needs --output FOLDER (one file per table)")
        case .json where output != nil:
            throw ValidationError("--format json prints (redirect it); --output is for html, xlsx and csv")
        default: break
        }
    }

    func run() async throws {
        let report = try options.service().collegeReport(
            ReportQuery(
                department: dept, day: at, campaign: campaign, securityCheck: securityCheck, year: year,
                catalogFiles: catalog.files),
            scope: .everything)
        if format == .json {
            Console.current.write(try json(report))
            return
        }
        let doc = ReportLayout.college(report, language: lang.report)
        switch format {
        case .html:
            let page = HTMLReport.render(doc)
            guard let output else {
                Console.current.write(page)
                return
            }
            try write(Data(page.utf8), to: output)
            Console.current.line("\(output): \(doc.sections.count) section(s), \(doc.sheets.count) table(s)")
        case .xlsx:
            try writeWorkbook(doc.sheets, to: output ?? "")
        case .csv:
            let folder = output ?? ""
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw LedgerError(.io, "\(folder): cannot create the folder (\(error.localizedDescription))")
            }
            for (n, sheet) in doc.sheets.enumerated() {
                let path = (folder as NSString).appendingPathComponent(Self.csvName(n + 1, sheet.name))
                let rows = sheet.rows.map { $0.map(HTMLReport.text) }
                try write(Data(CSVWriter.document(header: sheet.header, rows: rows).utf8), to: path)
            }
            Console.current.line("\(folder): \(doc.sheets.count) CSV file(s)")
        case .json:
            break
        }
    }

    /// `01-设备分类.csv`: the table's number and name, without characters a file name cannot hold.
    static func csvName(_ n: Int, _ name: String) -> String {
        let clean = String(name.map { "/\\:*?\"<>| ".contains($0) ? "_" : $0 })
        return String(format: "%02d-", n) + clean + ".csv"
    }

    func write(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path))
        } catch {
            throw LedgerError(.io, "\(path): cannot write (\(error.localizedDescription))")
        }
    }
}
