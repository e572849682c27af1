import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerApp
import LedgerModel
import LedgerServer
import Testing

/// The unknown-device queue and the claim flow through the server: a department claims another
/// department's device by its MAC (and learns nothing of it), the owner sees the dispute, IT
/// decides on the queue page, and IT's bulk assignment is all or nothing.
@Suite struct QueueTests {
    @Test func aClaimGoesFromTheClaimantThroughTheQueueToITsDecision() async throws {
        let campus = try Campus()
        try await campus.app().test(.router) { client in
            let dzb = try await client.signIn("dzb", Campus.passwords["dzb"]!)
            let two = try await client.signIn("two", Campus.passwords["two"]!)
            let it = try await client.signIn("it", Campus.passwords["it"]!)
            let aud = try await client.signIn("aud", Campus.passwords["aud"]!)
            func api(_ uri: String, _ body: String, as b: Browser) async throws -> TestResponse {
                try await client.execute(
                    uri: uri, method: .post,
                    headers: [
                        .cookie: b.cookie, HTTPField.Name("X-CSRF-Token")!: b.csrf, .contentType: "application/json",
                    ], body: ByteBuffer(string: body))
            }
            // DZB claims CWC's printer (by its MAC, spelled the Windows way) and a MAC of nothing:
            // the two answers are the same but for the id.
            let filed = try await api(
                "/api/v1/claims", "{\"identifier\":\"3C-D9-2B-00-00-02\",\"reason\":\"room 201\"}", as: dzb)
            let nothing = try await api(
                "/api/v1/claims", "{\"identifier\":\"00:1b:a9:99:99:99\",\"reason\":\"copier\"}", as: dzb)
            #expect(filed.status == .created && nothing.status == .created)
            let a = try #require(try json(filed) as? [String: Any])
            let b = try #require(try json(nothing) as? [String: Any])
            #expect(Set(a.keys) == ["id", "department", "status"] && Set(b.keys) == Set(a.keys))
            #expect(a["department"] as? String == "DZB" && b["status"] as? String == "open")
            let claim = try #require(a["id"] as? Int)
            // The claimant's page and list: no device named, no owner.
            let mine = try #require(try json(try await client.get("/api/v1/claims", as: dzb)) as? [[String: Any]])
            #expect(mine.count == 2 && mine.allSatisfy { $0["device"] is NSNull && $0["device_department"] is NSNull })
            let page = String(buffer: try await client.get("/claims", as: dzb).body)
            #expect(page.contains("3c:d9:2b:00:00:02") && !page.contains("/devices/\(campus.cwc)"))
            // The owner (a liaison of CWC and JYXY) sees the claim on its printer, not in its list.
            let device = String(buffer: try await client.get("/devices/\(campus.cwc)", as: two).body)
            #expect(device.contains("room 201") && device.contains("DZB"))
            #expect(try #require(try json(try await client.get("/api/v1/claims", as: two)) as? [[String: Any]]).isEmpty)
            // The queue is IT's (and the auditors' to read); a liaison is refused.
            #expect(try await client.get("/queue", as: dzb).status == .forbidden)
            let audQueue = String(buffer: try await client.get("/queue", as: aud).body)
            #expect(audQueue.contains("room 201") && !audQueue.contains("/claims/\(claim)/decision"))
            let queue = String(buffer: try await client.get("/queue", as: it).body)
            #expect(queue.contains("/claims/\(claim)/decision") && queue.contains("/devices/\(campus.cwc)"))
            #expect(queue.contains("value=\"\(campus.orphan)\""))  // the device of no department, to tick
            #expect(!queue.contains("jys-pc"))
            // A device its department disowns shows in the queue with its name; a confirmed one does not.
            _ = try campus.service.reviewDevices(
                [campus.jys], status: .notOurs, note: "the library's", scope: .everything, actor: Principal("t"))
            _ = try campus.service.reviewDevices(
                [campus.dzb], status: .confirmed, scope: .everything, actor: Principal("t"))
            let disowned = String(buffer: try await client.get("/queue", as: it).body)
            #expect(disowned.contains("jys-pc") && disowned.contains("the library"))
            #expect(!disowned.contains("dzb-printer"))
            #expect(try campus.service.reviews(scope: .everything, status: .notOurs).keys.sorted() == [campus.jys])
            #expect(try campus.service.reviews(scope: .everything, devices: [campus.dzb]).keys.sorted() == [campus.dzb])
            #expect(try campus.service.reviews(scope: .departments(["DZB"]), devices: [campus.jys]).isEmpty)
            // Decisions: an auditor and a liaison may not; a refusal needs a note; IT grants.
            #expect(
                try await client.postForm("/claims/\(claim)/decision", "decision=grant", as: aud).status == .forbidden)
            #expect(
                try await client.postForm("/claims/\(claim)/decision", "decision=grant", as: dzb).status == .forbidden)
            #expect(
                try await api("/api/v1/claims/\(claim)/decision", "{\"decision\":\"refuse\"}", as: it).status
                    == .badRequest)
            #expect(
                try await api("/api/v1/claims/\(claim)/decision", "{\"decision\":\"maybe\"}", as: it).status
                    == .badRequest)
            #expect(try campus.service.showDevice(campus.cwc, scope: .everything).device.department == "CWC")
            let granted = try await client.postForm("/claims/\(claim)/decision", "decision=grant&note=checked", as: it)
            #expect(granted.status == .found)
            #expect(try campus.service.showDevice(campus.cwc, scope: .everything).device.department == "DZB")
            #expect(try await client.get("/devices/\(campus.cwc)", as: dzb).status == .ok)
            #expect(try await client.get("/devices/\(campus.cwc)", as: two).status == .notFound)
            #expect(
                try await api("/api/v1/claims/\(claim)/decision", "{\"decision\":\"grant\"}", as: it).status
                    == .conflict)
        }
    }

    @Test func aBulkAssignmentFromTheQueueIsAllOrNothing() async throws {
        let campus = try Campus()
        try await campus.app().test(.router) { client in
            let it = try await client.signIn("it", Campus.passwords["it"]!)
            let dzb = try await client.signIn("dzb", Campus.passwords["dzb"]!)
            func form(_ body: String, as b: Browser) async throws -> TestResponse {
                try await client.execute(
                    uri: "/queue/assign", method: .post,
                    headers: [.cookie: b.cookie, .contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "csrf=\(b.csrf)&" + body))
            }
            let before = try RouteTests.snapshot(campus)
            #expect(try await form("device=\(campus.orphan)&department=DZB", as: dzb).status == .forbidden)
            #expect(try await form("device=\(campus.orphan)&device=99999&department=DZB", as: it).status == .notFound)
            #expect(try await form("device=\(campus.orphan)&device=x&department=DZB", as: it).status == .badRequest)
            #expect(try await form("department=DZB", as: it).status == .badRequest)
            #expect(try RouteTests.snapshot(campus) == before, "a refused assignment wrote")
            let done = try await form("device=\(campus.orphan)&device=\(campus.jys)&department=CWC", as: it)
            #expect(done.status == .found)
            let cwc = try campus.service.listDevices(DeviceQuery(department: "CWC"), scope: .everything).map(\.id)
            #expect(Set(cwc) == [campus.cwc, campus.orphan, campus.jys])
            // The API: the same, as JSON.
            let r = try await client.execute(
                uri: "/api/v1/devices/assign", method: .post,
                headers: [
                    .cookie: it.cookie, HTTPField.Name("X-CSRF-Token")!: it.csrf, .contentType: "application/json",
                ], body: ByteBuffer(string: "{\"devices\":[\(campus.orphan)],\"department\":\"JYXY-JYS\"}"))
            #expect(r.status == .ok)
            #expect(try campus.service.showDevice(campus.orphan, scope: .everything).device.department == "JYXY-JYS")
        }
    }
}
