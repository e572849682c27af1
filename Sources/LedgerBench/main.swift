// Benchmarks (release build; scripts/bench-ledger.sh, scripts/bench-endpoint.sh). They print
// figures against the issues' targets and never assert.
//
//   ledger-bench [ledger] [--devices N] [--batch N] [--db PATH]
//   ledger-bench endpoint [--reports N] [--agents DIR]
let arguments = Array(CommandLine.arguments.dropFirst())
let options = Options(arguments)
if arguments.first == "endpoint" {
    try runEndpointBench(options)
} else {
    try runLedgerBench(options)
}
