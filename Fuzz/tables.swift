// fuzz-modules: LedgerModel Ingest
// fuzz-seeds: files:scanners/*.tsv files:scanners/posture.conf
// fuzz-env: ASAN_OPTIONS=detect_leaks=0
// libFuzzer target for the tab-separated data files and the posture policy (scanners/, or a
// user's own through --catalog): catalog, OS lifecycle, security checklist, policy.
import Foundation
import Ingest
import LedgerModel

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Data(bytes: data, count: size)
    _ = try? CatalogFile.read(bytes, file: "fuzz.tsv")
    _ = try? LifecycleFile.read(bytes, file: "fuzz.tsv")
    _ = try? SecurityChecklistFile.read(bytes, file: "fuzz.tsv")
    _ = try? PolicyFile.read(bytes, file: "fuzz.conf")
    return 0
}
