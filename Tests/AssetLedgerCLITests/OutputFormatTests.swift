import Foundation
import Testing

@testable import AssetLedgerCLI

/// `--format` on every command: what each prints as JSON, and the values a command refuses
/// because it does not print them (never accepted and ignored).
@Suite struct OutputFormatTests {
    // A failed import printed no JSON report, losing the files it had already committed.
    @Test func aFailedImportInJSONStillReportsTheFilesAlreadyCommitted() async throws {
        let s = try Session()
        let good = try s.write(
            "a.jsonl", #"{"source":"scan","observed_at":"2026-11-20T09:00:00Z","macs":["3c:d9:2b:00:00:09"]}"# + "\n")
        let bad = try s.write("b.jsonl", "{broken\n")
        let (output, error) = await runAsTyped(["import", "--format", "json", good, bad, "--db", s.db])
        #expect(error != nil)
        let outcomes = try #require(
            try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]], "\(output)")
        #expect(outcomes.map { $0["file"] as? String } == [good])
        #expect(outcomes.first?["created"] as? Int == 1)
        // What it reports is what is there: the first file committed, the second wrote nothing.
        #expect(try await s.run("device", "list").contains("1 device(s)"))
    }

    // `scan` accepted `--format` values (and `--xml`) its mode does not print, and ignored them.
    @Test func scanRefusesAFormatItsModeDoesNotPrint() async throws {
        let s = try Session()
        for format in ["jsonl", "csv", "xml"] {
            let refusal = await s.usageError("scan", "198.18.0.0/24", "--dry-run", "--format", format)
            #expect(refusal?.contains("table or json") == true, "\(format): \(refusal ?? "accepted")")
        }
        let xml = await s.usageError(
            "scan", "198.18.0.0/24", "--dry-run", "--xml", s.dir.appendingPathComponent("o.xml").path)
        #expect(xml?.contains("--xml") == true)
        let json = await s.usageError("scan", "198.18.0.0/24", "--format", "json", "--interface", "lo")
        #expect(json?.contains("--dry-run") == true)
    }

    // The device edits had no `--format json`.
    @Test func deviceEditsPrintDeviceEditOutcomeAsJSON() async throws {
        let s = try await loadedSession()
        let keys: Set<String> = ["action", "device", "department", "other_device", "observations"]
        let assign = try object(try await s.run("device", "assign", "9", "TSG", "--format", "json"))
        #expect(Set(assign.keys) == keys)
        #expect(assign["action"] as? String == "assign" && assign["department"] as? String == "TSG")
        let unassign = try object(try await s.run("device", "unassign", "9", "--format", "json"))
        #expect(unassign["action"] as? String == "unassign" && unassign["department"] is NSNull)
        let merge = try object(try await s.run("device", "merge", "1", "3", "--format", "json"))
        #expect(merge["action"] as? String == "merge" && merge["other_device"] as? Int == 3)
        let shown = try object(try await s.run("device", "show", "1", "--format", "json"))
        let moved = try #require((shown["observations"] as? [[String: Any]])?.last?["id"] as? Int)
        let split = try object(try await s.run("device", "split", "1", String(moved), "--format", "json"))
        #expect(Set(split.keys) == keys)
        #expect(split["action"] as? String == "split" && split["observations"] as? Int == 1)
        #expect(split["other_device"] as? Int != nil)
        // The text stays the default.
        #expect(try await s.run("device", "assign", "9", "TSG").contains("assigned to TSG"))
    }

    // The department and rule imports had no `--format json`.
    @Test func ruleAndDepartmentImportsPrintTheirOutcomeAsJSON() async throws {
        let s = try Session()
        let dept = try object(try await s.run("dept", "import", sample("departments.csv"), "--format", "json"))
        #expect(Set(dept.keys) == ["file", "added", "updated"])
        #expect((dept["added"] as? Int ?? 0) > 0)
        for command in ["subnet", "hostname-rule"] {
            let file = sample(command == "subnet" ? "subnets.csv" : "hostname-rules.csv")
            let outcome = try object(try await s.run(command, "import", file, "--format", "json"))
            #expect(Set(outcome.keys) == ["file", "imported"], "\(command)")
            #expect(outcome["file"] as? String == file)
        }
    }

    // Report commands accepted `--format` values they do not print, and ignored them.
    @Test func aReportCommandRefusesAFormatItDoesNotPrint() async throws {
        let s = try await loadedSession()
        for args in [
            ["db", "check"], ["import", sample("observations.jsonl")], ["device", "show", "1"],
            ["device", "assign", "9", "TSG"], ["device", "unassign", "9"], ["device", "merge", "1", "3"],
            ["device", "split", "1", "2"], ["dept", "import", sample("departments.csv")],
            ["subnet", "import", sample("subnets.csv")], ["hostname-rule", "import", sample("hostname-rules.csv")],
        ] {
            let refusal = await s.usageError(args + ["--format", "csv"])
            #expect(refusal?.contains("csv") == true, "\(args): \(refusal ?? "accepted")")
        }
        // Nothing was done.
        #expect(try await s.run("device", "list").contains("9 device(s)"))
        #expect(try object(try await s.run("db", "check", "--format", "json"))["ok"] as? Bool == true)
    }

    // `report` writes the same document as a page, a workbook, CSV files or JSON.
    @Test func theReportIsWrittenAsHTMLXLSXCSVAndJSON() async throws {
        let s = try await loadedSession()
        let html = s.dir.appendingPathComponent("r.html").path
        #expect(try await s.run("report", "--at", "2026-06-01", "-o", html).contains("7 section(s), 7 table(s)"))
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.contains("<h1>软件正版化工作报告</h1>") && page.contains("<svg"))
        let english = try await s.run("report", "--lang", "en", "--dept", "TSG")
        #expect(english.contains("Software legalization report") && english.contains("Scope: 图书馆"))
        let folder = s.dir.appendingPathComponent("csv").path
        #expect(try await s.run("report", "--format", "csv", "-o", folder).contains("7 CSV file(s)"))
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(files.first == "01-设备分类.csv" && files.count == 7)
        let csv = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + files[0]))
        #expect(csv.starts(with: [0xEF, 0xBB, 0xBF]))
        #expect(String(decoding: csv, as: UTF8.self).contains("部门代码,部门名称"))
        let book = s.dir.appendingPathComponent("r.xlsx").path
        #expect(try await s.run("report", "--format", "xlsx", "-o", book).contains("7 sheet(s)"))
        let json = try object(try await s.run("report", "--format", "json"))
        #expect(json["devices"] as? Int == 9)
        for refused in [
            ["--format", "xlsx"], ["--format", "csv"], ["--format", "json", "-o", html], ["--at", "June"],
        ] {
            #expect(await s.usageError(["report"] + refused) != nil, "\(refused)")
        }
        #expect(await runAsTyped(["report", "--dept", "NOPE", "--db", s.db]).error != nil)
    }

    // The three inspection ledgers as one printable page.
    @Test func theInspectionLedgersPrintAsOnePage() async throws {
        let s = try await loadedSession()
        let page = try await s.run("inspection", "page", "--at", "2026-06-01")
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("<h1>软件正版化检查台账</h1>"))
        for name in ["软件使用情况汇总表", "软件使用情况明细表", "软件安装维护情况明细表"] { #expect(page.contains(name), "\(name)") }
        #expect(!page.contains("<script"))
        let english = try await s.run("inspection", "page", "--lang", "en")
        #expect(english.contains("Legalization inspection ledgers"))
    }

    // Issue 11 item 7: the campaign steps printed a line and took no `--format`.
    @Test func campaignStepsPrintTheirOutcomeAsJSON() async throws {
        let s = try await loadedSession()
        let devices = try #require(
            try JSONSerialization.jsonObject(with: Data(try await s.run("device", "list", "--format", "json").utf8))
                as? [[String: Any]])
        let pc = try #require(devices.first { $0["class"] as? String == "pc" && $0["department"] is String })
        let device = try #require(pc["id"] as? Int)
        let dept = try #require(pc["department"] as? String)

        let opened = try object(
            try await s.run(
                "campaign", "open", "self-check", "2026年软件正版化自查", "--deadline", "2026-12-31", "--format", "json"))
        #expect(opened["id"] as? Int == 1 && opened["name"] as? String == "2026年软件正版化自查")
        #expect(opened["kind"] as? String == "self-check" && opened["status"] as? String == "open")
        #expect(opened["deadline"] as? String == "2026-12-31" && opened["closed_at"] is NSNull)
        // The text stays the default, byte for byte.
        #expect(
            try await s.run("campaign", "open", "self-check", "第二次自查", "--deadline", "2026-12-31")
                == "campaign 2 opened: 第二次自查, deadline 2026-12-31\n")

        #expect(
            try await s.run("campaign", "check-pc", "1", String(device))
                == "1 PC(s) checked in campaign 1\n")
        let checked = try #require(
            try JSONSerialization.jsonObject(
                with: Data(try await s.run("campaign", "check-pc", "1", String(device), "--format", "json").utf8))
                as? [[String: Any]])
        #expect(checked.count == 1)
        #expect(checked.first?["device"] as? Int == device && checked.first?["checked"] as? Bool == true)
        #expect(checked.first?["department"] as? String == dept)
        #expect((checked.first?["checked_by"] as? String)?.hasPrefix("cli:") == true)

        #expect(
            try await s.run("campaign", "sign-off", "1", "--dept", dept, "--by", "王建国", "--statement", "已自查")
                == "\(dept) signed off campaign 1 (王建国)\n")
        let signed = try object(
            try await s.run(
                "campaign", "sign-off", "1", "--dept", dept, "--by", "赵强", "--statement", "本部门已完成自查", "--format",
                "json"))
        #expect(signed["campaign"] as? Int == 1 && signed["department"] as? String == dept)
        #expect(signed["signed_by"] as? String == "赵强" && signed["statement"] as? String == "本部门已完成自查")
        #expect((signed["recorded_by"] as? String)?.hasPrefix("cli:") == true && signed["signed_at"] is String)

        let findings = try #require(
            try JSONSerialization.jsonObject(
                with: Data(try await s.run("campaign", "findings", "1", "--format", "json").utf8)) as? [[String: Any]])
        let finding = try #require(findings.first?["id"] as? String)
        #expect(
            try await s.run("campaign", "resolve", "1", finding, "--as", "not-ours")
                == "finding \(finding): resolved (not-ours)\n")
        let resolved = try #require(
            try JSONSerialization.jsonObject(
                with: Data(
                    try await s.run(
                        "campaign", "resolve", "1", finding, "--as", "exempt", "--reason", "公用机", "--format", "json"
                    ).utf8)) as? [[String: Any]])
        #expect(resolved.count == 1 && resolved.first?["id"] as? String == finding)
        #expect(resolved.first?["status"] as? String == "resolved")
        #expect(resolved.first?["resolution"] as? String == "exempt" && resolved.first?["reason"] as? String == "公用机")

        let drawn = try #require(
            try JSONSerialization.jsonObject(
                with: Data(
                    try await s.run("campaign", "sample", "1", "--dept", dept, "--count", "1", "--format", "json").utf8)
            )
                as? [[String: Any]])
        let sampled = try #require(drawn.first?["device"] as? Int)
        #expect(
            try await s.run(
                "campaign", "sample-result", "1", String(sampled), "--result", "pass", "--note", "正版",
                "--confirmed-by", "李明") == "device \(sampled): pass\n")
        let result = try object(
            try await s.run(
                "campaign", "sample-result", "1", String(sampled), "--result", "fail", "--note", "发现盗版",
                "--confirmed-by", "孙丽", "--format", "json"))
        #expect(result["device"] as? Int == sampled && result["department"] as? String == dept)
        #expect(result["result"] as? String == "fail" && result["note"] as? String == "发现盗版")
        #expect(result["confirmed_by"] as? String == "孙丽")

        let closed = try object(try await s.run("campaign", "close", "1", "--format", "json"))
        let campaign = try #require(closed["campaign"] as? [String: Any])
        #expect(campaign["id"] as? Int == 1 && campaign["status"] as? String == "closed")
        let departments = try #require(closed["departments"] as? [[String: Any]])
        let mine = try #require(departments.first { $0["department"] as? String == dept })
        #expect(mine["signed_by"] as? String == "赵强" && mine["sample_failed"] as? Int == 1)
        let frozen = departments.reduce(0) { $0 + ($1["findings"] as? Int ?? 0) }
        #expect(try await s.run("campaign", "close", "2") == "campaign 2 closed: \(frozen) finding(s) frozen\n")

        // A security check closes with its checklist and progress.
        let check = try object(
            try await s.run(
                "campaign", "open", "security-check", "2026年网络安全检查", "--deadline", "2026-12-31", "--format", "json"))
        #expect(check["id"] as? Int == 3 && check["kind"] as? String == "security-check")
        let closedCheck = try object(try await s.run("campaign", "close", "3", "--format", "json"))
        #expect((closedCheck["campaign"] as? [String: Any])?["status"] as? String == "closed")
        #expect((closedCheck["checklist"] as? [Any])?.isEmpty == false)

        // These print one outcome: csv is refused, nothing done.
        for args in [
            ["campaign", "open", "self-check", "x", "--deadline", "2026-12-31"], ["campaign", "close", "1"],
            ["campaign", "check-pc", "1", String(device)], ["campaign", "resolve", "1", finding, "--as", "not-ours"],
        ] {
            let refusal = await s.usageError(args + ["--format", "csv"])
            #expect(refusal?.contains("csv") == true, "\(args): \(refusal ?? "accepted")")
        }
        #expect(try await s.run("campaign", "list").contains("3 campaign(s)"))
    }

    // The register, staff and commitment imports and `commitment sign` had no `--format json`.
    @Test func licenceStaffAndCommitmentCommandsPrintTheirOutcomeAsJSON() async throws {
        let s = try await loadedSession()
        let licences = sample("licences.csv")
        let table = try await s.run("license", "import", licences)
        let register = try object(try await s.run("license", "import", licences, "--format", "json"))
        let imported = try #require(register["imported"] as? Int)
        #expect(imported > 0 && register["replaced"] as? Int == imported && register["file"] as? String == licences)
        let warnings = try #require(register["warnings"] as? [[String: Any]])
        #expect(
            table
                == (warnings.map {
                    "\(licences):\($0["line"] as? Int ?? 0): warning: \($0["message"] as? String ?? "")"
                }
                + ["\(licences): \(imported) licence(s) imported, replacing 0"]).joined(separator: "\n") + "\n")

        let staff = sample("staff.csv")
        #expect(
            try await s.run("staff", "import", staff)
                == "\(staff): 4 employee(s): 4 added, 0 updated, 0 removed (0 commitment(s) with them)\n")
        let list = try object(try await s.run("staff", "import", staff, "--format", "json"))
        #expect(list["file"] as? String == staff && list["staff"] as? Int == 4)
        #expect(list["added"] as? Int == 0 && list["updated"] as? Int == 4 && list["removed"] as? Int == 0)
        #expect(list["commitments_removed"] as? Int == 0)

        let commitments = sample("commitments.csv")
        #expect(try await s.run("commitment", "import", commitments) == "\(commitments): 2 commitment(s) recorded\n")
        let recorded = try object(try await s.run("commitment", "import", commitments, "--format", "json"))
        #expect(recorded["file"] as? String == commitments && recorded["imported"] as? Int == 2)

        #expect(
            try await s.run("commitment", "sign", "T0002", "--year", "2026", "--date", "2026-03-06")
                == "T0002 张伟 (DZB) signed the 2026 commitment on 2026-03-06\n")
        let signed = try object(
            try await s.run("commitment", "sign", "T0201", "--year", "2026", "--date", "2026-03-07", "--format", "json")
        )
        #expect(signed["employee_id"] as? String == "T0201" && signed["name"] as? String == "王五")
        #expect(signed["department"] as? String == "CWC" && signed["text_year"] as? Int == 2026)
        #expect(signed["signed_at"] as? String == "2026-03-07" && signed["email"] is NSNull)
        for args in [["staff", "import", staff], ["commitment", "sign", "T0002", "--year", "2026"]] {
            #expect(await s.usageError(args + ["--format", "csv"])?.contains("csv") == true, "\(args)")
        }
    }

    // `user` and `token` printed a line and took no `--format`; `token create` prints the token
    // alone by default, for scripts.
    @Test func userAndTokenCommandsPrintTheirOutcomeAsJSON() async throws {
        let s = try await loadedSession()
        func run(_ args: String..., input: [String] = []) async throws -> String {
            let console = Console.capturing(input: input)
            try await Console.$current.withValue(console) { try await AssetLedgerCommand.run(args + ["--db", s.db]) }
            return console.captured
        }
        let added = try object(
            try await run(
                "user", "add", "liming", "--role", "liaison", "--dept", "DZB", "--password-stdin", "--format", "json",
                input: ["李明的正版化口令2026"]))
        #expect(added["login"] as? String == "liming" && added["role"] as? String == "liaison")
        #expect(added["departments"] as? [String] == ["DZB"] && added["disabled"] as? Bool == false)
        #expect(!added.keys.contains { $0.contains("password") })
        #expect(
            try await run("user", "add", "it", "--role", "admin", "--password-stdin", input: ["admin-password"])
                == "user it added: admin\n")
        #expect(
            try await run(
                "user", "add", "wang", "--role", "liaison", "--dept", "CWC", "--password-stdin",
                input: [
                    "wang-password"
                ]) == "user wang added: liaison of CWC\n")

        let set = try object(
            try await run(
                "user", "set", "liming", "--role", "liaison", "--dept", "CWC", "--dept", "DZB", "--format", "json"))
        #expect(set["login"] as? String == "liming" && set["departments"] as? [String] == ["CWC", "DZB"])
        #expect(try await run("user", "set", "wang", "--role", "auditor") == "user wang: auditor \n")
        let passwd = try object(
            try await run("user", "passwd", "liming", "--password-stdin", "--format", "json", input: ["new-password-1"])
        )
        #expect(passwd["login"] as? String == "liming" && passwd["role"] as? String == "liaison")
        #expect(
            try await run("user", "passwd", "wang", "--password-stdin", input: ["new-password-2"])
                == "password of wang set; their sessions ended\n")
        let disabled = try object(try await run("user", "disable", "liming", "--format", "json"))
        #expect(disabled["login"] as? String == "liming" && disabled["disabled"] as? Bool == true)
        #expect(try await run("user", "enable", "liming") == "user liming enabled\n")
        #expect(try await run("user", "disable", "wang") == "user wang disabled\n")
        let enabled = try object(try await run("user", "enable", "wang", "--format", "json"))
        #expect(enabled["login"] as? String == "wang" && enabled["disabled"] as? Bool == false)
        #expect(enabled["role"] as? String == "auditor")

        let token = try await run("token", "create", "it", "--name", "collector-lab", "--reports-only")
        #expect(token.hasPrefix("alt_") && token.count == 69 && token.hasSuffix("\n"))
        let created = try object(try await run("token", "create", "liming", "--name", "script", "--format", "json"))
        let secret = try #require(created["token"] as? String)
        #expect(secret.hasPrefix("alt_") && secret.count == 68)
        #expect(created["login"] as? String == "liming" && created["name"] as? String == "script")
        #expect(created["purpose"] as? String == "api" && created["id"] as? Int == 2)
        let listed = try await run("token", "list", "--format", "json")
        #expect(listed.contains("\"name\" : \"script\"") && !listed.contains("alt_"))

        let revoked = try object(try await run("token", "revoke", "2", "--format", "json"))
        #expect(revoked["id"] as? Int == 2 && revoked["name"] as? String == "script")
        #expect(revoked["login"] as? String == "liming" && revoked["token"] == nil)
        #expect(try await run("token", "revoke", "1") == "revoked token 1\n")
        #expect(try await run("token", "list").contains("0 token(s)"))
        for args in [["user", "disable", "liming"], ["token", "create", "it"], ["token", "revoke", "1"]] {
            #expect(await s.usageError(args + ["--format", "csv"])?.contains("csv") == true, "\(args)")
        }
    }

    // `scan job enable|disable|remove` printed a line and took no `--format`.
    @Test func scanJobSwitchesPrintTheJobAsJSON() async throws {
        let s = try Session()
        try await s.run(
            "scan", "job", "add", "dzb-6h", "--scope", "198.18.10.0/24", "--interface", "no-such-nic0", "--every", "6h")
        let disabled = try object(try await s.run("scan", "job", "disable", "dzb-6h", "--format", "json"))
        #expect(disabled["id"] as? Int == 1 && disabled["name"] as? String == "dzb-6h")
        #expect(disabled["enabled"] as? Bool == false && disabled["next_run"] is NSNull)
        let enabled = try object(try await s.run("scan", "job", "enable", "1", "--format", "json"))
        #expect(enabled["name"] as? String == "dzb-6h" && enabled["enabled"] as? Bool == true)
        #expect(enabled["schedule"] as? String == "every 6h" && enabled["scope"] as? String == "198.18.10.0/24")
        #expect(try await s.run("scan", "job", "disable", "dzb-6h") == "scan job dzb-6h disabled\n")
        #expect(try await s.run("scan", "job", "enable", "1") == "scan job dzb-6h enabled: every 6h\n")
        let removed = try object(try await s.run("scan", "job", "remove", "dzb-6h", "--format", "json"))
        #expect(removed["id"] as? Int == 1 && removed["name"] as? String == "dzb-6h")
        #expect(try await s.run("scan", "job", "list").contains("0 scan job(s)"))
        try await s.run(
            "scan", "job", "add", "again", "--scope", "198.18.10.0/24", "--interface", "no-such-nic0")
        #expect(try await s.run("scan", "job", "remove", "again") == "scan job again removed\n")
        for verb in ["enable", "disable", "remove"] {
            #expect(await s.usageError("scan", "job", verb, "x", "--format", "csv")?.contains("csv") == true, "\(verb)")
        }
    }
}
