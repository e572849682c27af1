import LedgerApp
import LedgerStore

// Benchmarks (release build; scripts/bench-ledger.sh, scripts/bench-endpoint.sh). They print
// figures against the issues' targets and never assert.
//
//   ledger-bench [ledger] [--devices N] [--batch N] [--db PATH]
//   ledger-bench endpoint [--reports N] [--agents DIR] [--compliance-runs N] [--db PATH]
//   ledger-bench compliance --db PATH   (compliance alone, on a database `endpoint --db` left)
//   ledger-bench observations-file --out PATH [--observations N] [--devices N]
//   ledger-bench import-file PATH [--batch N] [--db PATH]
let arguments = Array(CommandLine.arguments.dropFirst())
let options = Options(arguments)
if arguments.first == "compliance" {
    // Compliance alone on a database an earlier `endpoint --db PATH --keep` run left.
    let service = LedgerService(ledger: try Ledger.open(path: options.path ?? "bench.sqlite"))
    for _ in 0..<options.complianceRuns {
        let s = now()
        let rows = try service.compliance(ComplianceQuery(day: "2026-12-01"), scope: .everything)
        print(String(format: "compliance: %.2f s, %d rows, peak RSS %.0f MB", now() - s, rows.count, peakRSSMB()))
    }
} else if arguments.first == "endpoint" {
    try runEndpointBench(options)
} else if arguments.first == "observations-file" {
    try writeObservationsFile(options)
} else if arguments.first == "import-file", arguments.count > 1 {
    try runImportFile(options, path: arguments[1])
} else {
    try runLedgerBench(options)
}
