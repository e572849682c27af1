// Benchmarks (release build; scripts/bench-ledger.sh, scripts/bench-endpoint.sh). They print
// figures against the issues' targets and never assert.
//
//   ledger-bench [ledger] [--devices N] [--batch N] [--db PATH]
//   ledger-bench endpoint [--reports N] [--agents DIR]
//   ledger-bench observations-file --out PATH [--observations N] [--devices N]
let arguments = Array(CommandLine.arguments.dropFirst())
let options = Options(arguments)
if arguments.first == "endpoint" {
    try runEndpointBench(options)
} else if arguments.first == "observations-file" {
    try writeObservationsFile(options)
} else {
    try runLedgerBench(options)
}
