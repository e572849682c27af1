import Discovery
import Foundation
import Ingest
import LedgerModel
import LedgerStore
import TestSupport
import Testing

@testable import LedgerApp

@Suite struct ErrorCodeTests {
    @Test func eachRefusalCarriesItsCode() throws {
        let s = try campusService()
        let a = try device(s, seen(0, mac: "3c:d9:2b:00:00:01", ip: "198.18.10.5"))
        #expect(code { try s.merge(keep: a, other: a, scope: .everything, actor: Principal("test")) } == .conflict)
        let obs = try s.showDevice(a, scope: .everything).observations.map(\.id)
        #expect(
            code { try s.split(device: a, observations: obs, scope: .everything, actor: Principal("test")) }
                == .conflict)
        let liaison = DeviceScope.departments(["DZB"])
        #expect(code { try s.importDepartments(file: "d.csv", scope: liaison, actor: Principal("test")) } == .forbidden)
        #expect(code { try s.importSubnets(file: "s.csv", scope: liaison, actor: Principal("test")) } == .forbidden)
        #expect(code { try s.importFile("x.jsonl", scope: liaison) } == .forbidden)
        #expect(code { try s.listScans(scope: liaison) } == .forbidden)
        #expect(code { try s.runScan(ScanRequest(targets: ["198.18.0.0/24"]), scope: liaison) } == .forbidden)
        #expect(code { try s.check(scope: liaison) } == .forbidden)
        #expect(code { try s.diffScans(scope: .everything) } == .notFound)
        #expect(code { try s.diffScans([1, 2], scope: .everything) } == .notFound)
        #expect(code { try s.diffScans([1], scope: .everything) } == .invalidInput)
        #expect(code { try s.importFile("x.jsonl", device: 999) } == .notFound)
        #expect(code { try DataFiles(environment: ["ASSETLEDGER_DATA": "/nonexistent"]).locate("nothing.tsv") } == .io)
        #expect(LedgerError.Code.allCases.map(\.httpStatus) == [404, 400, 409, 403, 422, 500, 401])
    }

    @Test func aRefusedFileKeepsItsFileAndLine() throws {
        let s = try campusService()
        let bad = try tempFile("bad.csv", "code,name\nX,Y\n")
        do {
            _ = try s.importDepartments(file: bad, scope: .everything, actor: Principal("test"))
            Issue.record("a wrong header must be refused")
        } catch {
            #expect("\(error)".contains("bad.csv:1: wrong header"))
            let output = ErrorOutput(error)
            #expect(output.code == .invalidInput && output.httpStatus == 400)
            #expect(output.file == bad && output.line == 1)
        }
        let notFound = ErrorOutput(LedgerError(.notFound, "no device 9"))
        #expect(notFound.httpStatus == 404 && notFound.message == "no device 9" && notFound.file == nil)
        #expect(InputError(file: "f", line: 2, reason: "r").httpStatus == 400)
    }

    @Test func scannerFailuresAndUnreadableFilesAreIO() throws {
        let capture = ErrorOutput(ScanError(.capture, "libpcap cannot open 'x'"))
        #expect(capture.code == .io && capture.httpStatus == 500 && capture.message == "libpcap cannot open 'x'")
        #expect(ErrorOutput(ScanError(.policy, "no")).code == .refusedByPolicy)
        #expect(LedgerError(ScanError(.route, "nothing routed")) == LedgerError(.io, "nothing routed"))
        #expect(throws: LedgerError(.io, "gone")) { try mappingScanErrors { throw ScanError(.socket, "gone") } }
        let s = try campusService()
        let missing = "/nonexistent/departments.csv"
        #expect(throws: LedgerError(.io, "\(missing): cannot read file")) {
            try s.importDepartments(file: missing, scope: .everything, actor: Principal("test"))
        }
        #expect(code { try LedgerService.open(db: "/nonexistent/dir/ledger.sqlite", environment: [:]) } == .io)
    }

    @Test func aScanRequestIsCheckedBeforeAnythingIsSent() throws {
        let s = try campusService()
        var r = ScanRequest(targets: ["198.18.0.0/24"])
        r.exclusions = ["198.18.0.1-198.18.0.10"]
        r.ports = "80,631,9100"
        r.packetsPerSecond = 500
        let plan = try LedgerService.planScan(r)
        #expect(plan.targets == 244 && plan.scope == "198.18.0.11-198.18.0.254" && plan.ports == [80, 631, 9100])
        #expect(plan.worstCasePackets == 1952)
        r.skip = ["snmp", "telnet"]
        #expect(code { try LedgerService.planScan(r) } == .invalidInput)
        r.skip = ["snmp", "pjl"]
        r.settle = 100
        #expect(code { try LedgerService.planScan(r) } == .invalidInput)
        r.settle = 0.5
        r.communities = []
        #expect(code { try LedgerService.planScan(r) } == .invalidInput)
        r.communities = ["public"]
        // Sending needs the interface named.
        #expect(code { try s.runScan(r) } == .invalidInput)
        // What the scan policy refuses, as opposed to what is malformed.
        #expect(code { try LedgerService.planScan(ScanRequest(targets: ["10.0.0.0/8"])) } == .refusedByPolicy)
        #expect(code { try LedgerService.planScan(ScanRequest(targets: ["127.0.0.0/24"])) } == .refusedByPolicy)
        #expect(code { try LedgerService.planScan(ScanRequest(targets: [])) } == .refusedByPolicy)
        #expect(code { try LedgerService.planScan(ScanRequest(targets: ["198.18.0.9-198.18.0.1"])) } == .invalidInput)
        // An interface that does not exist is the scanner's I/O failure, mapped for callers.
        var absent = ScanRequest(targets: ["198.18.0.0/24"])
        absent.interface = "no-such-nic0"
        #expect(code { try s.runScan(absent) } == .io)
        #expect(try ScanPhase.parse("ports, tcp") == [.ports, .tcp])
        #expect(try ScanPhase.parse("all") == ScanPhase.allCases)
        #expect(try ScanPhase.parse("none").isEmpty)
        #expect(code { try ScanPhase.parse("ports,smtp") } == .invalidInput)
        #expect(try ScanProbes.parseSkip(" SNMP, pjl ") == ["snmp", "pjl"])
        #expect(Set(ScanProbes.knownNames).isSuperset(of: ["snmp", "wsd", "https", "pjl"]))
    }
}

@Suite struct EndpointAndSoftwareTests {
    let workstation = "fusioninventory/rudder/WORKSTATION1-8f94b6a2-5cb6-4f76-9fa7-467e8b22f5e7.ocs"

    @Test func anImportedInventoryShowsItsPatchesAntivirusAndSoftware() throws {
        let s = try campusService()
        let outcome = try s.importFile(try agentFixture(workstation))
        #expect(outcome.format == "fusioninventory-xml")
        #expect(outcome.created == 1 && outcome.software == 127 && outcome.patches == 7 && outcome.antivirus == 1)
        let id = try #require(outcome.device)
        let now = Date()
        let detail = try s.showDevice(id, scope: .everything, now: now)
        #expect(detail.device.deviceClass == "pc")
        let endpoint = try #require(detail.endpoint)
        #expect(endpoint.reports == 1 && endpoint.osBuild == "22631")
        #expect(endpoint.patches.count == 7)
        #expect(endpoint.patches.allSatisfy { !$0.id.isEmpty })
        #expect(endpoint.lastPatch == endpoint.patches.compactMap(\.installedAt).max())
        #expect(endpoint.pendingSecurityUpdates >= 0)
        let av = try #require(endpoint.antivirus.first)
        #expect(av.name == "Windows Defender" && av.enabled == true)
        if let date = av.signatureDate.flatMap(ISODate.parse) {
            #expect(av.signatureAgeDays == Int(now.timeIntervalSince(date) / 86_400))
        }
        #expect(endpoint.software.count == 127)
        #expect(endpoint.software.contains { $0.name.hasPrefix("Microsoft Edge") && $0.version != nil })
        #expect(detail.observations.first?.source == "agent")
        #expect(detail.history.first?.field == "created")
        // Unassigned: a liaison of any department cannot see it.
        #expect(code { try s.showDevice(id, scope: .departments(["CWC"])) } == .notFound)
    }

    @Test func aDeviceWithoutAgentHasNoEndpointAndShowsItsEvidence() throws {
        let s = try campusService()
        let id = try device(s, seen(0, mac: "3c:d9:2b:00:00:01", ip: "198.18.10.5"))
        let detail = try s.showDevice(id, scope: .everything)
        #expect(detail.endpoint == nil)
        #expect(detail.identifiers.map(\.kind) == ["mac"])
        #expect(detail.observations.first?.evidence.first?.reason == "test rule")
        #expect(detail.observations.first?.matchedRule == "new")
    }

    /// Two PCs in CWC and one in DZB with overlapping titles.
    func softwareCampus() throws -> LedgerService {
        let s = try campusService()
        func pc(_ host: String, _ ip: String, _ titles: [(String, String?)]) throws {
            var r = EndpointReport(format: "assetledger-report")
            r.identity.hostname = host
            r.identity.ips = [ip]
            r.identity.serials = ["SN-\(host)"]
            r.collectedAt = at(0)
            r.software = titles.map {
                EndpointReport.Software(name: $0.0, publisher: $0.1, version: "1.0", source: "registry")
            }
            try s.ledger.importEndpointReports([r], sourceRef: host)
        }
        try pc("cw-pc1", "198.18.11.20", [("WPS Office", "Kingsoft"), ("Notepad++ 8.6", nil), ("Mystery Tool", nil)])
        try pc("cw-pc2", "198.18.11.21", [("WPS Office", "Kingsoft"), ("Notepad++ 8.5", nil)])
        try pc("dzb-pc1", "198.18.10.20", [("WPS Office", "Kingsoft"), ("Mystery Tool", nil)])
        return s
    }

    func catalog() throws -> SoftwareCatalog {
        let text = """
            name_pattern\tpublisher_pattern\tsource\tproduct\tvendor\tcategory\tlicense\tdomestic
            ^WPS Office\t\t\tWPS Office\tKingsoft\toffice\tcommercial\tyes
            ^Notepad\\+\\+\t\t\tNotepad++\tDon Ho\tother\topen-source\tno

            """
        return SoftwareCatalog(rules: try CatalogFile.read(Data(text.utf8), file: "c.tsv"))
    }

    @Test func softwareIsGroupedByProductWithinTheScope() throws {
        let s = try softwareCampus()
        let all = try s.softwareProducts(catalog: try catalog(), scope: .everything)
        #expect(all.map(\.product) == ["WPS Office", "Notepad++"])
        #expect(all.map(\.installs) == [3, 2])
        #expect(all.map(\.titles) == [1, 2])  // two Notepad++ versions are two titles of one product
        #expect(all.first?.domestic == true && all.first?.license == "commercial" && all.first?.category == "office")
        let dzb = try s.softwareProducts(catalog: try catalog(), scope: .departments(["DZB"]))
        #expect(dzb.map(\.product) == ["WPS Office"] && dzb.first?.installs == 1)
        let cwcOnly = try s.softwareProducts(department: "CWC", catalog: try catalog(), scope: .everything)
        #expect(cwcOnly.map(\.installs) == [2, 2])
        #expect(
            code { try s.softwareProducts(department: "CWC", catalog: try catalog(), scope: .departments(["DZB"])) }
                == .notFound)
        let unknown = try s.unknownSoftware(catalog: try catalog(), scope: .everything)
        #expect(unknown.map(\.title) == ["Mystery Tool"] && unknown.first?.devices == 2)
        #expect(try s.unknownSoftware(catalog: try catalog(), scope: .departments(["CWC"])).first?.devices == 1)
    }

    /// A PC whose Defender health file dates its signatures `definitionsUpdated`.
    func imported(_ definitionsUpdated: String) throws -> (LedgerService, Int64) {
        let s = try campusService()
        let id = try device(s, seen(0, mac: "3c:d9:2b:00:00:01", ip: "198.18.10.5", cls: .pc))
        let health = """
            {"appVersion":"101.1","definitionsStatus":{"$type":"upToDate"},"definitionsUpdated":"\(definitionsUpdated)"}
            """
        _ = try s.importFile(try tempFile("health.json", health), device: id, scope: .everything)
        return (s, id)
    }

    // The age of a signature date of no sensible time (1e300, nan...) trapped: showing the
    // device and judging its posture must not.
    @Test(arguments: ["1e300", "-1e300", "1e400", "-1e400", "nan"])
    func aSignatureDateOfNoSensibleTimeDoesNotTrapShowOrPosture(_ value: String) throws {
        let (s, id) = try imported(value)
        let detail = try s.showDevice(id, scope: .everything)
        let av = try #require(detail.endpoint?.antivirus.first)
        if let age = av.signatureAgeDays { #expect(age >= 0) }
        _ = try outputEncoder().encode(detail)
        _ = try s.posture(scope: .everything)
    }
}
