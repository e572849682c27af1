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
}
