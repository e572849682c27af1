// Benchmarks (release build; scripts/bench-ledger.sh, scripts/bench-endpoint.sh). They print
// figures against the issues' targets and never assert.
//
//   ledger-bench [ledger] [--devices N] [--batch N] [--db PATH]
//   ledger-bench endpoint [--reports N] [--agents DIR]
//   ledger-bench observations-file --out PATH [--observations N] [--devices N]
//   ledger-bench import-file PATH [--batch N] [--db PATH]
let arguments = Array(CommandLine.arguments.dropFirst())
let options = Options(arguments)
if arguments.first == "endpoint" {
    try runEndpointBench(options)
} else if arguments.first == "observations-file" {
    try writeObservationsFile(options)
} else if arguments.first == "import-file", arguments.count > 1 {
    try runImportFile(options, path: arguments[1])
} else {
    try runLedgerBench(options)
}
