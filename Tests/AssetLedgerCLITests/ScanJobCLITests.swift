import ArgumentParser
import Foundation
import Testing

@testable import AssetLedgerCLI

/// `scan job`: jobs typed like `scan run`, refused like it, run on demand with the run recorded.
@Suite struct ScanJobCLITests {
    @Test func aJobIsAddedListedRunAndRemovedFromTheCommandLine() async throws {
        let s = try Session()
        let added = try await s.run(
            "scan", "job", "add", "dzb-6h", "--scope", "198.18.10.0/24", "198.18.11.0/25", "--exclude", "198.18.10.1",
            "--ports", "22,80,9100", "--rate", "300", "--every", "6h", "--interface", "no-such-nic0")
        #expect(added == "scan job dzb-6h added (id 1): 198.18.10.0/24,198.18.11.0/25, every 6h\n")
        _ = try await s.run(
            "scan", "job", "add", "nightly", "--scope", "198.18.30.0/24", "--at", "02:00", "--probes", "ports",
            "--interface", "no-such-nic0")
        let list = try await s.run("scan", "job", "list")
        #expect(list.contains("dzb-6h   every 6h") && list.contains("nightly  daily at 02:00"), "\(list)")
        #expect(list.hasSuffix("2 scan job(s)\n"))
        let csv = try await s.run("scan", "job", "list", "--format", "csv")
        #expect(csv.hasPrefix("\u{FEFF}id,name,schedule,enabled,scope,interface,last_run,last_status,next_run\r\n"))
        // A scan refused by the scan policy is refused as a job the same way; a bad schedule is
        // a usage error.
        for scope in [["0.0.0.0/0"], ["127.0.0.1"], ["198.18.0.0/15"], [String]()] {
            await #expect(throws: (any Error).self, "\(scope)") {
                try await s.run(
                    ["scan", "job", "add", "x", "--interface", "eth0"] + scope.flatMap { ["--scope", $0] })
            }
        }
        #expect(
            await s.usageError(
                "scan", "job", "add", "x", "--scope", "198.18.1.0/24", "--interface", "e", "--every", "2") != nil)
        #expect(
            await s.usageError(
                "scan", "job", "add", "x", "--scope", "198.18.1.0/24", "--interface", "e", "--at", "25:00") != nil)
        #expect(
            await s.usageError(
                "scan", "job", "add", "x", "--scope", "198.18.1.0/24", "--skip", "telnet", "--interface", "e") != nil)
        #expect(try await s.run("scan", "job", "list", "--format", "json").contains("\"name\" : \"nightly\""))
        // Run now: the interface does not exist, so the run is recorded as failed with the
        // reason and the command exits non-zero.
        let console = Console.capturing()
        let error = await #expect(throws: ExitCode.self) {
            try await Console.$current.withValue(console) {
                try await AssetLedgerCommand.run(["scan", "job", "run", "dzb-6h", "--db", s.db])
            }
        }
        #expect(error == ExitCode(1))
        #expect(
            console.captured.contains("scan job dzb-6h: run 1 failed: interface 'no-such-nic0'"), "\(console.captured)")
        let shown = try await s.run("scan", "job", "show", "dzb-6h")
        #expect(shown.contains("exclusions  198.18.10.1") && shown.contains("rate        300 packets/s"), "\(shown)")
        #expect(shown.contains("manual   cli:") && shown.contains("failed"), "\(shown)")
        let json = try await s.run("scan", "job", "show", "dzb-6h", "--format", "json")
        #expect(json.contains("\"status\" : \"failed\"") && json.contains("\"trigger\" : \"manual\""))
        #expect(try await s.run("scan", "job", "disable", "dzb-6h") == "scan job dzb-6h disabled\n")
        #expect(try await s.run("scan", "job", "enable", "1") == "scan job dzb-6h enabled: every 6h\n")
        #expect(try await s.run("scan", "job", "remove", "dzb-6h") == "scan job dzb-6h removed\n")
        #expect(!(try await s.run("scan", "job", "list")).contains("dzb-6h"))
        await #expect(throws: (any Error).self) { try await s.run("scan", "job", "show", "dzb-6h") }
    }

    @Test func aJobIsEditedFromTheCommandLine() async throws {
        let s = try Session()
        _ = try await s.run(
            "scan", "job", "add", "dzb", "--scope", "198.18.10.0/24", "--exclude", "198.18.10.1", "--every", "6h",
            "--interface", "no-such-nic0")
        let edited = try await s.run(
            "scan", "job", "edit", "dzb", "--scope", "198.18.10.0/25", "--at", "03:15", "--rate", "50")
        #expect(edited == "scan job dzb changed: 198.18.10.0/25, daily at 03:15\n")
        let json = try await s.run("scan", "job", "edit", "1", "--no-exclusions", "--on-demand", "--format", "json")
        #expect(json.contains("\"exclusions\" : \"\"") && json.contains("\"schedule\" : \"on demand\""), "\(json)")
        #expect(json.contains("\"rate\" : 50") && json.contains("\"scope\" : \"198.18.10.0/25\""), "\(json)")
        // Exclusive or empty options are usage errors; a refused scope leaves the job as it was.
        #expect(await s.usageError("scan", "job", "edit", "dzb", "--on-demand", "--every", "1h") != nil)
        #expect(await s.usageError("scan", "job", "edit", "dzb", "--no-exclusions", "--exclude", "198.18.10.2") != nil)
        #expect(await s.usageError("scan", "job", "edit", "dzb", "--skip", "telnet") != nil)
        await #expect(throws: (any Error).self) { try await s.run("scan", "job", "edit", "dzb") }
        await #expect(throws: (any Error).self) {
            try await s.run("scan", "job", "edit", "dzb", "--scope", "0.0.0.0/0")
        }
        #expect(try await s.run("scan", "job", "show", "dzb").contains("198.18.10.0/25"))
    }
}
