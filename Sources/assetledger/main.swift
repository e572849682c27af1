import AssetLedgerCLI

await AssetLedgerCommand.runMain()
