import Foundation
import HTTPTypes
import Hummingbird
import LedgerApp
import LedgerModel
import LedgerStore

/// The JSON API under `/api/v1`: each route calls one use case with the caller's scope and
/// returns its output, the shape docs/SCHEMA.md documents; `OpenAPISpec` describes them and a
/// test holds the router and the spec to each other.
/// `POST /api/v1/devices/review`.
struct ReviewRequest: Decodable {
    var devices: [Int64]
    var status: String
    var note: String?
}

enum API {
    static let maxPageSize = 500
    /// Devices one review request may name.
    static let maxBatch = 1000
    /// An endpoint report's largest size (`InventoryLimits`).
    static let maxReport = 64 << 20

    /// One page of a list (`page`, `per_page`: 100 by default, at most `maxPageSize`), with the
    /// whole list's length in `X-Total-Count`: the campaign lists, which run to devices × items.
    static func page<T: Encodable>(_ rows: [T], _ request: Request) throws -> Response {
        let (page, size) = try pageArguments(request)
        let start = min(rows.count, (page - 1).multipliedReportingOverflow(by: size).partialValue)
        let slice = Array(rows[max(0, start)..<min(rows.count, max(0, start) + size)])
        return try Response.json(slice, headers: [.totalCount: String(rows.count)])
    }

    /// `dept`, `class`, `q` (search) and `unassigned` of a device list, from the query string;
    /// `unassigned` other than 1/true/0/false is refused.
    static func deviceQuery(_ request: Request) throws -> DeviceQuery {
        let p = request.uri.queryParameters
        func value(_ k: String) -> String? { p[Substring(k)].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
        let unassigned = try flag(request, "unassigned")
        let order = try value("sort").map { word -> DeviceOrder in
            guard let order = DeviceOrder(word: word) else {
                throw LedgerError(
                    .invalidInput,
                    "sort is one of \(DeviceOrder.Key.allCases.map(\.rawValue).joined(separator: ", ")), '-' before it for descending"
                )
            }
            return order
        }
        return DeviceQuery(
            department: value("dept"), deviceClass: value("class").flatMap(DeviceClass.init(word:)),
            unassignedOnly: unassigned, text: value("q"), order: order ?? .byID)
    }

    /// A yes/no query parameter: 1/true, 0/false or absent (no); anything else is refused.
    static func flag(_ request: Request, _ name: String) throws -> Bool {
        switch request.uri.queryParameters[Substring(name)].map(String.init) {
        case nil, "", "0", "false": return false
        case "1", "true": return true
        default: throw LedgerError(.invalidInput, "\(name) is 1, true, 0 or false")
        }
    }

    /// The `dept` filter of a request (a department code and its sub-departments), empty = none.
    static func department(_ request: Request) -> String? {
        request.uri.queryParameters["dept"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `older` and `newer` scan ids of a diff: both, or neither (the last two scans).
    static func scanPair(_ request: Request) throws -> [Int64] {
        let p = request.uri.queryParameters
        switch (p["older"].map(String.init), p["newer"].map(String.init)) {
        case (nil, nil): return []
        case (let o?, let n?):
            guard let older = Int64(o), let newer = Int64(n) else {
                throw LedgerError(.invalidInput, "older and newer are scan ids")
            }
            return [older, newer]
        default: throw LedgerError(.invalidInput, "give both older and newer, or neither (the last two scans)")
        }
    }

    static func pageArguments(_ request: Request) throws -> (page: Int, size: Int) {
        let p = request.uri.queryParameters
        let page =
            try p["page"].map { s -> Int in
                guard let n = Int(String(s)), n >= 1 else { throw LedgerError(.invalidInput, "page must be 1 or more") }
                return n
            } ?? 1
        let size =
            try p["per_page"].map { s -> Int in
                guard let n = Int(String(s)), (1...maxPageSize).contains(n) else {
                    throw LedgerError(.invalidInput, "per_page must be 1 to \(maxPageSize)")
                }
                return n
            } ?? 100
        return (page, size)
    }

    static func id(_ context: LedgerContext, _ name: String = "id") throws -> Int64 {
        guard let s = context.parameters.get(name), let id = Int64(s) else {
            throw LedgerError(.notFound, "no such \(name)")
        }
        return id
    }

    /// A JSON command's largest body: room for a batch of 1,000 ids of any kind (larger is 413).
    static let maxCommand = 1 << 20

    /// A JSON command's body, at most `maxCommand`.
    static func body(_ request: Request) async throws -> Data {
        var request = request
        return Data(buffer: try await request.collectBody(upTo: maxCommand))
    }

    /// A JSON command's body decoded, or `invalidInput` saying what was expected.
    static func decode<T: Decodable>(_ type: T.Type, _ request: Request, _ expected: String) async throws -> T {
        let data = try await body(request)
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw LedgerError(.invalidInput, "expected \(expected)")
        }
    }

    static func add(to book: RouteBook, service: LedgerService, runner: ScanRunner) {
        book.add(.get, "/api/v1/openapi.json", .open) { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: OpenAPISpec.json)))
        }
        book.add(.get, "/api/v1/devices", .reader) { request, context in
            let q = try deviceQuery(request)
            if let c = request.uri.queryParameters["class"], !c.isEmpty, q.deviceClass == nil {
                throw LedgerError(.invalidInput, "unknown class '\(c)'")
            }
            let (page, size) = try pageArguments(request)
            let scope = context.scope
            let (total, body) = try await Offload.run {
                let shown = try service.listDevicePage(q, scope: scope, page: page, size: size)
                return (shown.total, DeviceListJSON.encode(shown.devices))
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8", .totalCount: String(total)],
                body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        book.add(.get, "/api/v1/devices/{id}", .reader) { _, context in
            let (device, scope) = (try id(context), context.scope)
            return try Response.json(try await Offload.run { try service.showDevice(device, scope: scope) })
        }
        book.add(.get, "/api/v1/departments", .reader) { _, context in
            try Response.json(try service.listDepartments(scope: context.scope))
        }
        book.add(.get, "/api/v1/software", .reader) { request, context in
            let dept = request.uri.queryParameters["dept"].map(String.init)
            let catalog = try service.softwareCatalog(scope: context.scope)
            return try Response.json(
                try service.softwareProducts(department: dept, catalog: catalog, scope: context.scope))
        }
        book.add(.get, "/api/v1/posture", .reader) { request, context in
            let dept = request.uri.queryParameters["dept"].map(String.init)
            return try Response.json(try service.posture(PostureQuery(department: dept), scope: context.scope))
        }
        book.add(.get, "/api/v1/compliance", .reader) { request, context in
            let dept = request.uri.queryParameters["dept"].map(String.init)
            return try Response.json(try service.compliance(ComplianceQuery(department: dept), scope: context.scope))
        }
        book.add(.get, "/api/v1/scans", .reader) { _, context in
            try Response.json(try service.listScans(scope: context.scope))
        }
        book.add(.get, "/api/v1/scans/diff", .reader) { request, context in
            let (pair, scope) = (try scanPair(request), context.scope)
            return try Response.json(try await Offload.run { try service.diffScans(pair, scope: scope) })
        }
        // Scan jobs: campus-wide, so a liaison is refused (403); IT starts one now (202 with the
        // run as it started, 409 while a job of an overlapping scope runs).
        book.add(.get, "/api/v1/scan-jobs", .reader) { _, context in
            try Response.json(try service.listScanJobs(scope: context.scope))
        }
        book.add(.get, "/api/v1/scan-jobs/{id}", .reader) { _, context in
            try Response.json(try service.showScanJob(String(try id(context)), scope: context.scope))
        }
        book.add(.post, "/api/v1/scan-jobs", .admin) { request, context in
            let input = try ScanJobInput.read(try await body(request))
            let job = try service.addScanJob(try input.spec(), scope: context.scope, actor: context.principal)
            var response = try Response.json(job, status: .created)
            response.headers[.location] = "/api/v1/scan-jobs/\(job.id)"
            return response
        }
        book.add(.patch, "/api/v1/scan-jobs/{id}", .admin) { request, context in
            let input = try ScanJobInput.read(try await body(request))
            return try Response.json(
                try service.editScanJob(
                    String(try id(context)), try input.change(), scope: context.scope, actor: context.principal))
        }
        book.add(.delete, "/api/v1/scan-jobs/{id}", .admin) { _, context in
            try service.removeScanJob(String(try id(context)), scope: context.scope, actor: context.principal)
            return Response(status: .noContent)
        }
        book.add(.post, "/api/v1/scan-jobs/{id}/run", .admin) { _, context in
            let run = try runner.start(
                String(try id(context)), trigger: .manual, actor: context.principal, scope: context.scope)
            return try Response.json(run, status: .accepted)
        }
        book.add(.post, "/api/v1/scan-job-runs/{id}/cancel", .admin) { _, context in
            let run = try runner.cancel(try id(context), actor: context.principal, scope: context.scope)
            return try Response.json(run, status: .accepted)
        }
        book.add(.get, "/api/v1/campaigns", .reader) { _, context in
            try Response.json(try service.listCampaigns(scope: context.scope))
        }
        book.add(.post, "/api/v1/campaigns", .admin) { request, context in
            struct Open: Decodable {
                var kind: String
                var name: String
                var deadline: String
            }
            let open = try await decode(Open.self, request, "{\"kind\", \"name\", \"deadline\"}")
            let campaign = try service.openCampaign(
                kind: open.kind, name: open.name, deadline: open.deadline, scope: context.scope,
                actor: context.principal)
            var response = try Response.json(campaign, status: .created)
            response.headers[.location] = "/api/v1/campaigns/\(campaign.id)"
            return response
        }
        book.add(.post, "/api/v1/campaigns/{id}/close", .admin) { _, context in
            let (campaign, scope, actor) = (try id(context), context.scope, context.principal)
            return try Response.json(
                try await Offload.run { try service.closeAnyCampaign(campaign, scope: scope, actor: actor) })
        }
        book.add(.get, "/api/v1/campaigns/{id}", .reader) { _, context in
            let campaign = try id(context)
            if try service.campaign(campaign, scope: context.scope).kind == LedgerService.securityCheck {
                return try Response.json(try service.showSecurityCheck(campaign, scope: context.scope))
            }
            return try Response.json(try service.showCampaign(campaign, scope: context.scope))
        }
        book.add(.get, "/api/v1/audit", .reader) { _, context in
            try Response.json(try service.auditLog(scope: context.scope))
        }
        book.add(.get, "/api/v1/review-coverage", .reader) { _, context in
            try Response.json(try service.reviewCoverage(scope: context.scope))
        }
        // The department review, several devices at once: all in the caller's scope or none.
        book.add(.post, "/api/v1/devices/review", .changer) { request, context in
            let body = try await decode(
                ReviewRequest.self, request, "{\"devices\": [ids], \"status\": ..., \"note\": ...}")
            guard body.devices.count <= maxBatch else {
                throw LedgerError(.invalidInput, "at most \(maxBatch) devices at once")
            }
            guard let status = DeviceReview.Status(rawValue: body.status) else {
                throw LedgerError(.invalidInput, "status must be confirmed, not_ours, retired or wrong_class")
            }
            return try Response.json(
                try service.reviewDevices(
                    body.devices, status: status, note: body.note, scope: context.scope, actor: context.principal))
        }
        // An endpoint collector's report (the Linux collector's --post URL --token): one file,
        // one transaction, the format told from its content.
        book.add(.post, "/api/v1/reports", .reports) { request, context in
            var request = request
            let body = try await request.collectBody(upTo: maxReport)
            let source = "post:\(context.tokenName ?? context.account?.login ?? "?")"
            let outcome = try service.importReceived(Data(buffer: body), source: source, scope: .everything)
            return try Response.json(outcome, status: .created)
        }
    }
}
