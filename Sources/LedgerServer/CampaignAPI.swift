import Foundation
import HTTPTypes
import Hummingbird
import LedgerApp
import LedgerModel

/// The legalization workflow in the JSON API: what the campaign pages do, for scripts — a
/// self-check's findings, PCs and sample, a liaison's resolutions, checks and sign-off, IT's
/// sample and its results; a security check's results and a result recorded by hand; a staff
/// commitment signed; the licence register. Each route is one use case in the caller's scope
/// (another department's finding, PC or device is not found), and a batch naming one that is
/// not the caller's is refused whole.
enum CampaignAPI {
    struct Resolutions: Decodable {
        var findings: [String]
        var resolution: String
        var reference: String?
        var reason: String?
    }

    struct Checks: Decodable { var devices: [Int64] }

    struct SignOff: Decodable {
        var department: String
        var by: String
        var statement: String
    }

    struct Sample: Decodable {
        var department: String
        var count: Int
        var seed: Int64?
    }

    struct SampleResult: Decodable {
        var device: Int64
        var result: String
        var note: String?
        var confirmedBy: String

        enum CodingKeys: String, CodingKey {
            case device, result, note
            case confirmedBy = "confirmed_by"
        }
    }

    struct CheckResult: Decodable {
        var device: Int64
        var item: String
        var result: String
        var note: String?
    }

    struct Signature: Decodable {
        var employee: String
        var year: Int
        var day: String?
    }

    static func add(to book: RouteBook, service: LedgerService) {
        book.add(.get, "/api/v1/campaigns/{id}/findings", .reader) { request, context in
            let (id, scope, department) = (try API.id(context), context.scope, API.department(request))
            return try API.page(
                try await Offload.run { try service.campaignFindings(id, department: department, scope: scope) },
                request)
        }
        book.add(.get, "/api/v1/campaigns/{id}/pcs", .reader) { request, context in
            try API.page(
                try service.campaignPCs(try API.id(context), department: API.department(request), scope: context.scope),
                request)
        }
        book.add(.get, "/api/v1/campaigns/{id}/samples", .reader) { request, context in
            try Response.json(
                try service.samples(try API.id(context), department: API.department(request), scope: context.scope))
        }
        book.add(.get, "/api/v1/campaigns/{id}/results", .reader) { request, context in
            let (id, scope, query) = (
                try API.id(context), context.scope,
                SecurityCheckQuery(department: API.department(request), failingOnly: try API.flag(request, "failing"))
            )
            return try API.page(
                try await Offload.run { try service.securityCheckResults(id, query, scope: scope) }, request)
        }
        // A closed campaign against `against` (default: the closed one of its kind before it).
        book.add(.get, "/api/v1/campaigns/{id}/diff", .reader) { request, context in
            let (id, scope) = (try API.id(context), context.scope)
            let against = try request.uri.queryParameters["against"].map { s -> Int64 in
                guard let n = Int64(String(s)) else { throw LedgerError(.invalidInput, "against is a campaign id") }
                return n
            }
            return try Response.json(
                try await Offload.run {
                    guard try service.campaign(id, scope: scope).status == "closed" else {
                        throw LedgerError(.conflict, "campaign \(id) is still open: close it to compare it")
                    }
                    guard let old = try against ?? service.previousClosedCampaign(before: id, scope: scope)?.id else {
                        throw LedgerError(.notFound, "no closed campaign of its kind before campaign \(id)")
                    }
                    return try service.compareCampaigns(old: old, new: id, scope: scope)
                })
        }
        book.add(.post, "/api/v1/campaigns/{id}/resolutions", .changer) { request, context in
            let body = try await API.decode(
                Resolutions.self, request, #"{"findings": [ids], "resolution": ..., "reference"/"reason": ...}"#)
            guard body.findings.count <= API.maxBatch else {
                throw LedgerError(.invalidInput, "at most \(API.maxBatch) findings at once")
            }
            // The reference goes with a bought licence, the reason with an exemption.
            let detail =
                body.resolution == "licence-bought" ? body.reference : body.resolution == "exempt" ? body.reason : nil
            let resolution = try CampaignRoutes.resolution(body.resolution, detail: detail)
            let (id, scope, actor) = (try API.id(context), context.scope, context.principal)
            return try Response.json(
                try await Offload.run {
                    try service.resolveFindings(
                        campaign: id, body.findings.map { ($0, resolution) }, scope: scope, actor: actor)
                })
        }
        book.add(.post, "/api/v1/campaigns/{id}/checks", .changer) { request, context in
            let body = try await API.decode(Checks.self, request, #"{"devices": [ids]}"#)
            guard body.devices.count <= LedgerService.maxBatch else {
                throw LedgerError(.invalidInput, "at most \(LedgerService.maxBatch) PCs at once")
            }
            return try Response.json(
                try service.checkPCs(
                    campaign: try API.id(context), devices: body.devices, scope: context.scope,
                    actor: context.principal))
        }
        book.add(.post, "/api/v1/campaigns/{id}/sign-offs", .changer) { request, context in
            let body = try await API.decode(SignOff.self, request, #"{"department", "by", "statement"}"#)
            return try Response.json(
                try service.signOff(
                    campaign: try API.id(context), department: body.department, by: body.by,
                    statement: body.statement, scope: context.scope, actor: context.principal), status: .created)
        }
        book.add(.post, "/api/v1/campaigns/{id}/samples", .admin) { request, context in
            let body = try await API.decode(Sample.self, request, #"{"department", "count", "seed"}"#)
            guard (1...1000).contains(body.count) else { throw LedgerError(.invalidInput, "count is 1 to 1000 PCs") }
            return try Response.json(
                try service.drawSample(
                    campaign: try API.id(context), department: body.department, count: body.count, seed: body.seed,
                    scope: context.scope, actor: context.principal), status: .created)
        }
        book.add(.post, "/api/v1/campaigns/{id}/sample-results", .admin) { request, context in
            let body = try await API.decode(
                SampleResult.self, request, #"{"device", "result": "pass"|"fail", "note", "confirmed_by"}"#)
            return try Response.json(
                try service.recordSampleResult(
                    campaign: try API.id(context), device: body.device, passed: try CampaignRoutes.passed(body.result),
                    note: body.note ?? "", confirmedBy: body.confirmedBy, scope: context.scope,
                    actor: context.principal))
        }
        book.add(.post, "/api/v1/campaigns/{id}/results", .changer) { request, context in
            let body = try await API.decode(
                CheckResult.self, request, #"{"device", "item", "result": "pass"|"fail"|"na", "note"}"#)
            return try Response.json(
                try service.recordSecurityCheck(
                    campaign: try API.id(context), device: body.device, item: body.item, result: body.result,
                    note: body.note, scope: context.scope, actor: context.principal))
        }
        book.add(.get, "/api/v1/commitments/unsigned", .reader) { request, context in
            try API.page(
                try service.unsignedStaff(
                    department: API.department(request), year: try ReportRoutes.year(request), scope: context.scope),
                request)
        }
        book.add(.post, "/api/v1/commitments", .changer) { request, context in
            let body = try await API.decode(Signature.self, request, #"{"employee", "year", "day"}"#)
            return try Response.json(
                try service.signCommitment(
                    employee: body.employee, year: body.year, day: body.day, scope: context.scope,
                    actor: context.principal), status: .created)
        }
        book.add(.get, "/api/v1/licenses", .reader) { _, context in
            try Response.json(try service.listLicenses(scope: context.scope))
        }
    }
}
