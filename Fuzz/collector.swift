// fuzz-modules: LedgerModel Ingest
// fuzz-seeds: tree:@fixtures/agents/glpi-agent-raw
// fuzz-selector: 14
// libFuzzer target for the raw collector outputs (registry exports, wmic lists, UWP list,
// dpkg/rpm/pacman, os-release, Linux antivirus tools). Kind detection runs on every input; the
// first byte picks the one parser the rest goes to, whatever detection said (a parser never
// trusts the sniffer), so each input costs one parse instead of fourteen.
import Foundation
import Ingest
import LedgerModel

/// The parsers, in selector order: one per collector kind, then the raw registry and WMI readers.
let parsers: [(Data) throws -> Void] =
    CollectorOutput.Kind.allCases.map { kind in { _ = try CollectorOutput.read($0, as: kind, file: "fuzz") } } + [
        { _ = try WindowsRaw.uninstall($0, file: "fuzz") },
        { bytes in
            let records = try WindowsRaw.wmiRecords(bytes, file: "fuzz")
            _ = WindowsRaw.quickFixEngineering(records)
            _ = records.first.map(WindowsRaw.operatingSystem)
        },
    ]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let parser = parsers[Int(data[0]) % parsers.count]
    let bytes = Data(bytes: data + 1, count: size - 1)
    _ = CollectorOutput.kind(bytes, file: "fuzz")
    try? parser(bytes)
    return 0
}
