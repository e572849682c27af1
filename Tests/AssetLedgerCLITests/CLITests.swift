import Foundation
import LedgerModel
import LedgerStore
import TestSupport
import Testing

@testable import AssetLedgerCLI

/// Runs commands in-process against a fresh database file, the way a user types them.
final class Session {
    let dir: URL
    let db: String

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("al-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        db = dir.appendingPathComponent("ledger.sqlite").path
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    @discardableResult
    func run(_ args: String...) async throws -> String { try await run(args) }

    func run(_ args: [String]) async throws -> String {
        let console = Console.capturing()
        try await Console.$current.withValue(console) {
            try await AssetLedgerCommand.run(Array(args) + ["--db", db])
        }
        return console.captured
    }

    /// How the command line is refused as a usage error (exit 64, what `runMain` prints), or
    /// nil when it is accepted; a command failing for another reason is recorded as an issue.
    func usageError(_ args: String...) async -> String? { await usageError(args) }

    func usageError(_ args: [String]) async -> String? {
        do {
            _ = try await run(args)
            return nil
        } catch {
            let code = AssetLedgerCommand.exitCode(for: error)
            #expect(code == .validationFailure, "\(args): \(error)")
            return AssetLedgerCommand.message(for: error)
        }
    }

    func write(_ name: String, _ text: String) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}

/// A file of the sample campus shipped in fixtures/sample.
func sample(_ name: String) -> String { Fixtures.sample(name).path }

/// A session with the sample campus loaded: departments, subnets, host-name rules, observations.
func loadedSession() async throws -> Session {
    let s = try Session()
    try await s.run("dept", "import", sample("departments.csv"))
    try await s.run("subnet", "import", sample("subnets.csv"))
    try await s.run("hostname-rule", "import", sample("hostname-rules.csv"))
    try await s.run("import", sample("observations.jsonl"))
    return s
}

/// Runs a command line as typed (no `--db` added), returning what it printed and what it threw.
func runAsTyped(_ args: [String]) async -> (output: String, error: (any Error)?) {
    let console = Console.capturing()
    do {
        try await Console.$current.withValue(console) { try await AssetLedgerCommand.run(args) }
        return (console.captured, nil)
    } catch {
        return (console.captured, error)
    }
}

/// The JSON object a command printed.
func object(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
}

@Suite struct CLITests {
    @Test func theSampleCampusLoadsAndListsEveryClass() async throws {
        let s = try await loadedSession()
        let table = try await s.run("device", "list")
        #expect(table.contains("9 device(s)"))
        #expect(table.contains("财务处"))
        let json = try await s.run("device", "list", "--format", "json")
        let devices = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(devices.count == 9)
        let required = [
            "id", "class", "vendor", "model", "serial", "os", "firmware", "macs", "ips", "hostnames", "department",
            "first_seen", "last_seen", "fax_capable",
        ]
        for d in devices { #expect(Set(d.keys).isSuperset(of: required)) }
        let mfp = try #require(devices.first { $0["class"] as? String == "mfp" })
        #expect(mfp["fax_capable"] as? Bool == true)
        #expect(mfp["department"] as? String == "CWC")
        #expect((mfp["first_seen"] as? String).flatMap { try? Date($0, strategy: .iso8601) } != nil)
        // The PC seen by scan and then by its agent is one device, owned by the host-name rule.
        let pc = try #require(devices.first { $0["serial"] as? String == "PC0ABCDE" })
        #expect(pc["department"] as? String == "CWC")
        #expect(pc["os"] as? String == "Windows 10 Pro 22H2 (19045.4291)")
    }

    @Test func filtersByDepartmentClassAndUnassigned() async throws {
        let s = try await loadedSession()
        let jyxy = try await s.run("device", "list", "--dept", "JYXY", "--format", "csv")
        #expect(jyxy.hasPrefix("\u{FEFF}id,class"))
        #expect(jyxy.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 2)
        let printers = try await s.run("device", "list", "--class", "printer", "--format", "json")
        #expect(printers.components(separatedBy: "\"class\" : \"printer\"").count == 2)
        let queue = try await s.run("device", "list", "--unassigned")
        #expect(queue.contains("203.0.113.9"))
        #expect(queue.contains("1 device(s)"))
        #expect(try await s.run("device", "list", "--class", "PRINTER", "--format", "json") == printers)
        let refusal = await s.usageError("device", "list", "--class", "toaster")
        #expect(refusal?.contains("'toaster'") == true && refusal?.contains("printer") == true)
    }

    @Test func sortsByAnyKeyEitherWay() async throws {
        let s = try await loadedSession()
        func ids(_ args: String...) async throws -> [Int] {
            let out = try await s.run(["device", "list", "--format", "json"] + args)
            let list = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]])
            return list.compactMap { $0["id"] as? Int }
        }
        let up = try await ids()
        #expect(up == up.sorted() && up.count == 9)
        #expect(try await ids("--sort", "-id") == up.reversed())
        let seen = try await s.run("device", "list", "--format", "json", "--sort", "-last_seen")
        let dates = try #require(try JSONSerialization.jsonObject(with: Data(seen.utf8)) as? [[String: Any]])
            .compactMap { $0["last_seen"] as? String }
        #expect(dates.count == 9 && dates == dates.sorted(by: >))
        let refusal = await s.usageError("device", "list", "--sort", "name")
        #expect(refusal?.contains("'name'") == true && refusal?.contains("last_seen") == true)
    }

    @Test func departmentExportIsUTF8WithBOMAndReimports() async throws {
        let s = try await loadedSession()
        let out = s.dir.appendingPathComponent("export.csv").path
        try await s.run("dept", "export", "-o", out)
        let data = try Data(contentsOf: URL(fileURLWithPath: out))
        #expect(data.starts(with: [0xEF, 0xBB, 0xBF]))
        #expect(String(decoding: data, as: UTF8.self).contains("二级学院") == false)  // kinds export as English words
        #expect(String(decoding: data, as: UTF8.self).contains("教育学院教研室"))
        let again = try await s.run("dept", "import", out)
        #expect(again.contains("0 department(s) added, 10 updated"))
        let list = try await s.run("dept", "list", "--format", "json")
        #expect(list.contains("\"liaison\""))
    }

    // dept export "re-imports unchanged" (docs), but the formula guard adds ' to phones like +86...
    @Test func deptExportRoundTripKeepsPhones() async throws {
        let s = try Session()
        let f = try s.write(
            "d.csv",
            "code,name,name_en,kind,parent_code,leader,liaison,liaison_phone,liaison_email,sysadmin,sysadmin_phone,sysadmin_email\nXXZX,信息化中心,,support,,,张三,+86-10-62751234,,,,\n"
        )
        try await s.run("dept", "import", f)
        let out = s.dir.appendingPathComponent("out.csv").path
        try await s.run("dept", "export", "-o", out)
        try await s.run("dept", "import", out)
        let json = try await s.run("dept", "list", "--format", "json")
        #expect(json.contains("\"+86-10-62751234\""))
    }

    @Test func aBadFileIsRefusedWithFileAndLineAndNothingChanges() async throws {
        let s = try await loadedSession()
        let before = try await s.run("device", "list", "--format", "json")
        let depts = try await s.run("dept", "list", "--format", "json")
        let bad = try s.write(
            "bad.csv",
            "\(DepartmentFileHeader.text)\nNEW,新部门,,college,,,,,,,,\nNEW2,坏,,faculty,,,,,,,,\n")
        do {
            try await s.run("dept", "import", bad)
            Issue.record("accepted a bad file")
        } catch {
            #expect("\(error)".hasPrefix("\(bad):3: unknown kind 'faculty'"))
        }
        #expect(try await s.run("dept", "list", "--format", "json") == depts)
        #expect(try await s.run("device", "list", "--format", "json") == before)
        await #expect(throws: (any Error).self) {
            try await s.run("dept", "import", s.dir.appendingPathComponent("missing.csv").path)
        }
    }

    @Test func assignMergeSplitAndCheckFromTheCommandLine() async throws {
        let s = try await loadedSession()
        try await s.run("device", "assign", "9", "TSG")
        #expect(try await s.run("device", "show", "9").contains("TSG 图书馆 (by manual"))
        try await s.run("device", "merge", "1", "3")
        let merged = try await s.run("device", "show", "1", "--json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(merged.utf8)) as? [String: Any])
        let observations = try #require(object["observations"] as? [[String: Any]])
        #expect(observations.count == 2)
        let moved = try #require(observations.last?["id"] as? Int)
        let out = try await s.run("device", "split", "1", String(moved))
        #expect(out.contains("now form device"))
        #expect(try await s.run("db", "check").contains("ok"))
        await #expect(throws: (any Error).self) { try await s.run("device", "assign", "1", "NOPE") }
    }

    @Test func textFromTheNetworkCannotDriveTheTerminalOrTheSpreadsheet() async throws {
        let s = try Session()
        let evil =
            #"{"source":"scan","observed_at":"2026-11-20T09:00:00Z","model":"\u001b[2J\u001b]0;pwned\u0007M404","vendor":"=HYPERLINK(\"http://x\")","macs":["3c:d9:2b:00:00:09"]}"#
        try await s.run("import", try s.write("evil.jsonl", evil + "\n"))
        let table = try await s.run("device", "list")
        #expect(!table.contains("\u{1B}"))
        #expect(table.contains("\\u{1b}[2J"))
        let csv = try await s.run("device", "list", "--format", "csv")
        #expect(csv.contains(",\"'=HYPERLINK("))
        let json = try await s.run("device", "list", "--format", "json")
        #expect(!json.contains("\u{1B}"))
    }
}

enum DepartmentFileHeader {
    static let text =
        "code,name,name_en,kind,parent_code,leader,liaison,liaison_phone,liaison_email,sysadmin,sysadmin_phone,sysadmin_email"
}

@Suite struct EndpointCLITests {
    let agents = Fixtures.shared("agents")

    @Test func everyInventoryFolderImportsAndSoftwareIsClassified() async throws {
        let s = try Session()
        for folder in ["fusioninventory", "glpi-json", "open-audit"] {
            let path = agents.appendingPathComponent(folder).path
            #expect(FileManager.default.isReadableFile(atPath: path), "\(path) must be readable")
            let out = try await s.run("import", path)
            #expect(out.contains("report -> device"))
        }
        let devices = try await s.run("device", "list", "--format", "json")
        let list = try #require(try JSONSerialization.jsonObject(with: Data(devices.utf8)) as? [[String: Any]])
        #expect(list.count == 18)  // 18 inventories; the Toshiba's two runs carry different serials
        let products = try await s.run("software", "list", "--format", "json")
        #expect(products.contains("\"product\" : \"Microsoft Office\""))
        let show = try await s.run("device", "show", "4")
        #expect(show.contains("endpoint (from 1 report(s)):"))
        #expect(show.contains("antivirus: Windows Defender"))
        #expect(show.contains("patches: 7"))
        #expect(!show.contains("fe80::"))
        let shown = try await s.run("device", "show", "4", "--json")
        // The endpoint lists the software itself now (name, version, publisher), not only a count.
        let object = try #require(try JSONSerialization.jsonObject(with: Data(shown.utf8)) as? [String: Any])
        let endpoint = try #require(object["endpoint"] as? [String: Any])
        #expect((endpoint["software"] as? [[String: Any]])?.count == 127)
        #expect((endpoint["patches"] as? [[String: Any]])?.count == 7)
        #expect(try await s.run("device", "show", "4", "--format", "json") == shown)
        let unknown = try await s.run("software", "unknown", "--format", "csv")
        #expect(unknown.contains("WIC"))
        #expect(!unknown.contains("Microsoft Edge,"))
    }

    @Test func aBrokenInventoryIsRefusedAndWritesNothing() async throws {
        let s = try Session()
        let good = agents.appendingPathComponent("fusioninventory/inventory_format/2.xml").path
        try await s.run("import", good)
        let before = try await s.run("db", "check")
        let cut = try s.write("cut.xml", String(try String(contentsOfFile: good, encoding: .utf8).prefix(3000)))
        await #expect(throws: (any Error).self) { try await s.run("import", cut) }
        let bomb = try s.write("bomb.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY a \"aaaa\">]>\n<REQUEST/>")
        await #expect(throws: (any Error).self) { try await s.run("import", bomb) }
        #expect(try await s.run("db", "check") == before)
    }
}

@Suite struct RawImportCLITests {
    @Test func everyRawOutputAttachesToANamedDeviceAndNamelessOnesNeedIt() async throws {
        let agents = Fixtures.shared("agents")
        let s = try Session()
        try await s.run("import", agents.appendingPathComponent("fusioninventory/inventory_format/2.xml").path)
        let raw = agents.appendingPathComponent("glpi-agent-raw").path
        await #expect(throws: (any Error).self) {
            try await s.run("import", agents.appendingPathComponent("glpi-agent-raw/linux-packaging/dpkg").path)
        }
        let out = try await s.run("import", "--device", "1", raw)
        let files =
            FileManager.default.enumerator(atPath: raw)?.compactMap { $0 as? String }
            .filter { !$0.hasPrefix(".") && !FileManager.default.fileExists(atPath: "\(raw)/\($0)/.") } ?? []
        #expect(files.count == 17)
        #expect(out.components(separatedBy: "report -> device 1").count - 1 == files.count)  // every raw file
        #expect(try await s.run("db", "check").contains("ok"))
        await #expect(throws: (any Error).self) { try await s.run("import", "--device", "999", raw) }
    }
}

@Suite struct OversizeImportTests {
    @Test func aHundredMegabyteReportIsRefusedUnreadAndWritesNothing() async throws {
        let s = try Session()
        try await s.run("dept", "import", sample("departments.csv"))
        let before = try await s.run("db", "check")
        let big = s.dir.appendingPathComponent("huge.xml")
        FileManager.default.createFile(atPath: big.path, contents: Data("<REQUEST><CONTENT>".utf8))
        let handle = try FileHandle(forWritingTo: big)
        try handle.truncate(atOffset: 100 << 20)  // sparse: 100 MB on paper, nothing read
        try handle.close()
        do {
            try await s.run("import", big.path)
            Issue.record("a 100 MB report was accepted")
        } catch {
            #expect("\(error)".contains("100 MB is larger than the 64 MB accepted"))
        }
        #expect(try await s.run("db", "check") == before)
    }
}

@Suite struct NmapImportCLITests {
    @Test func anNmapScanImportsIntoTheLedger() async throws {
        let s = try Session()
        try await s.run("dept", "import", sample("departments.csv"))
        try await s.run("subnet", "import", sample("subnets.csv"))
        let xml =
            "<?xml version=\"1.0\"?><nmaprun start=\"1790000000\"><host endtime=\"1790000042\"><status state=\"up\"/><address addr=\"198.18.10.21\" addrtype=\"ipv4\"/><address addr=\"3C:D9:2B:11:22:33\" addrtype=\"mac\" vendor=\"Hewlett Packard\"/><os><osmatch name=\"HP LaserJet printer\" accuracy=\"96\"><osclass type=\"printer\" vendor=\"HP\"/></osmatch></os></host></nmaprun>"
        let out = try await s.run("import", try s.write("scan.xml", xml))
        #expect(out.contains("1 observation(s): 1 new device(s)"))
        let list = try await s.run("device", "list", "--class", "printer", "--format", "json")
        #expect(list.contains("\"department\" : \"DZB\""))
        #expect(list.contains("3c:d9:2b:11:22:33"))
    }
}

@Suite struct ScanPlanCLITests {
    @Test func aScanNeedsAScopeAndTheDryRunPlansIt() async throws {
        let s = try Session()
        await #expect(throws: LedgerError.self) { try await s.run("scan", "--dry-run") }
        let plan = try await s.run(
            "scan", "198.18.0.0/24", "--exclude", "198.18.0.1-198.18.0.10", "--ports", "80,631,9100", "--rate", "500",
            "--dry-run")
        #expect(plan.contains("targets    244 addresses"))
        #expect(plan.contains("scope      198.18.0.11-198.18.0.254"))
        #expect(plan.contains("ports      3 (80,631,9100)"))
        #expect(plan.contains("worst case 1952 packets in 3.9 s"))
        await #expect(throws: LedgerError.self) { try await s.run("scan", "10.0.0.0/8", "--dry-run") }
        await #expect(throws: LedgerError.self) { try await s.run("scan", "198.18.0.0/24", "--rate", "0", "--dry-run") }
        // Probe names and phases are checked while parsing: usage errors naming the bad word.
        let skip = await s.usageError("scan", "198.18.0.0/24", "--skip", "snmp,telnet", "--dry-run")
        #expect(skip?.contains("--skip: unknown probe 'telnet'") == true)
        let probes = await s.usageError("scan", "198.18.0.0/24", "--probes", "ports,smtp", "--dry-run")
        #expect(probes?.contains("--probes: unknown 'smtp'") == true)
        _ = try await s.run("scan", "198.18.0.0/24", "--skip", "snmp, pjl", "--probes", "ports,tcp", "--dry-run")
        // Sending needs the interface named: without it the scan refuses instead of guessing.
        await #expect(throws: LedgerError.self) { try await s.run("scan", "198.18.0.0/24") }
    }

    // A dry run opened (and so created) the database, and printed no JSON plan.
    @Test func aDryRunOpensNoDatabaseAndPrintsItsPlanAsTableOrJSON() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("al-none-\(UUID().uuidString)")
        let db = dir.appendingPathComponent("x.sqlite").path
        let table = await runAsTyped(["scan", "198.18.0.0/24", "--dry-run", "--db", db])
        #expect(table.error == nil, "\(String(describing: table.error))")
        #expect(table.output.contains("targets    254 addresses"))
        let json = await runAsTyped(["--db", db, "scan", "run", "198.18.0.0/24", "--dry-run", "--format", "json"])
        #expect(json.error == nil, "\(String(describing: json.error))")
        let plan = try object(json.output)
        #expect(plan["targets"] as? Int == 254)
        #expect(
            Set(plan.keys) == [
                "scope", "targets", "ports", "packets_per_second", "per_host_packets_per_second", "max_in_flight",
                "retries", "worst_case_packets", "worst_case_seconds",
            ])
        #expect(!FileManager.default.fileExists(atPath: dir.path))
    }
}

@Suite struct ListenCLITests {
    let pcapDir = Fixtures.shared("pcap")

    @Test func aCaptureFileIsHeardClassifiedAndRecorded() async throws {
        let s = try Session()
        let path = pcapDir.appendingPathComponent("3560_CDP.pcap").path
        #expect(FileManager.default.isReadableFile(atPath: path), "\(path) must be readable")
        let out = try await s.run("listen", "--pcap", path)
        #expect(out.contains("192.168.0.1") && out.contains("network") && out.contains("WS-C3560G-24PS"))
        #expect(out.contains("ledger: 1 new, 0 known devices"))
        let scans = try await s.run("scan", "list")
        #expect(scans.contains("passive"))
        let xml = try await s.run("listen", "--pcap", path, "--format", "xml")
        #expect(xml.contains("<osclass type=\"switch\" vendor=\"Cisco\""))
    }

    @Test func aBrokenCaptureOrNoSourceIsRefusedAndRecordsNothing() async throws {
        let s = try Session()
        let junk = try s.write("junk.pcap", "not a capture at all")
        await #expect(throws: InputError.self) { try await s.run("listen", "--pcap", junk) }
        await #expect(throws: (any Error).self) { try await s.run("listen") }
        #expect(try await s.run("scan", "list").split(separator: "\n").count == 1)  // header only
    }
}
