// fuzz-modules: LedgerModel Ingest
// fuzz-seeds: tree:@fixtures/agents/glpi-agent-raw
// libFuzzer target for the raw collector outputs (registry exports, wmic lists, UWP list,
// dpkg/rpm/pacman, os-release, Linux antivirus tools): every kind's parser on the same bytes.
import Foundation
import Ingest
import LedgerModel

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Data(bytes: data, count: size)
    _ = CollectorOutput.kind(bytes, file: "fuzz")
    for kind in CollectorOutput.Kind.allCases {
        _ = try? CollectorOutput.read(bytes, as: kind, file: "fuzz")
    }
    _ = try? WindowsRaw.uninstall(bytes, file: "fuzz")
    if let records = try? WindowsRaw.wmiRecords(bytes, file: "fuzz") {
        _ = WindowsRaw.quickFixEngineering(records)
        _ = records.first.map(WindowsRaw.operatingSystem)
    }
    return 0
}
