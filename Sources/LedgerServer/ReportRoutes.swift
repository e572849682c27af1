import Foundation
import HTTPTypes
import Hummingbird
import LedgerApp
import LedgerModel
import Reports

/// The legalization issue's read-outs in the console and the API, each the CLI's use case in
/// the caller's scope: the college report (`assetledger report`) as a download — HTML with its
/// charts, or the workbook — and as JSON, the staff commitments' coverage and the domestic share.
/// A liaison's report is their departments' (the same scoped queries the pages use).
enum ReportRoutes {
    static func add(to book: RouteBook, service: LedgerService) {
        book.add(.get, "/report", .reader) { request, context in
            let p = request.uri.queryParameters
            let lang = Pages.language(request)
            let query = try reportQuery(request)
            let scope = context.scope
            let format = p["format"].map(String.init) ?? "html"
            guard format == "html" || format == "xlsx" else {
                throw LedgerError(.invalidInput, "format is html or xlsx")
            }
            return try await Offload.run {
                let doc = ReportLayout.college(try service.collegeReport(query, scope: scope), language: lang)
                if format == "xlsx" { return try Pages.workbook(doc.sheets, named: "college-report.xlsx") }
                // A download, opened from disk: the page's own style and charts are inline, which
                // the console's policy (no inline style) would refuse if it were shown here.
                return Response(
                    status: .ok,
                    headers: [
                        .contentType: "text/html; charset=utf-8",
                        .contentDisposition: "attachment; filename=\"college-report.html\"",
                    ], body: .init(byteBuffer: ByteBuffer(string: HTMLReport.render(doc))))
            }
        }
        book.add(.get, "/api/v1/report", .reader) { request, context in
            let (query, scope) = (try reportQuery(request), context.scope)
            return try Response.json(try await Offload.run { try service.collegeReport(query, scope: scope) })
        }
        book.add(.get, "/api/v1/commitments", .reader) { request, context in
            return try Response.json(
                try service.commitmentCoverage(
                    department: request.uri.queryParameters["dept"].map(String.init), year: try year(request),
                    scope: context.scope))
        }
        book.add(.get, "/api/v1/domestic", .reader) { request, context in
            var query = DomesticShareQuery()
            query.department = request.uri.queryParameters["dept"].map(String.init)
            let (share, scope) = (query, context.scope)
            return try Response.json(try await Offload.run { try service.domesticShare(share, scope: scope) })
        }
    }

    /// `dept`, `campaign` and `security_check` (ids), `year`, `day` (YYYY-MM-DD) of a report request.
    static func reportQuery(_ request: Request) throws -> ReportQuery {
        let p = request.uri.queryParameters
        func id(_ name: String) throws -> Int64? {
            try p[Substring(name)].map { s -> Int64 in
                guard let n = Int64(String(s)), n > 0 else { throw LedgerError(.invalidInput, "\(name) is an id") }
                return n
            }
        }
        var q = ReportQuery()
        q.department = p["dept"].map(String.init)
        q.campaign = try id("campaign")
        q.securityCheck = try id("security_check")
        q.year = try year(request)
        if let day = p["day"].map(String.init) {
            guard day.count == 10, parseDate(day) != nil else {
                throw LedgerError(.invalidInput, "day '\(day)' is not YYYY-MM-DD")
            }
            q.day = day
        }
        return q
    }

    /// `year`, when given: 2000 to 2100.
    static func year(_ request: Request) throws -> Int? {
        try request.uri.queryParameters["year"].map { y -> Int in
            guard let n = Int(String(y)), (2000...2100).contains(n) else {
                throw LedgerError(.invalidInput, "year is 2000 to 2100")
            }
            return n
        }
    }
}
