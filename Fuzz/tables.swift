// fuzz-modules: LedgerModel Ingest
// fuzz-seeds: files:scanners/*.tsv files:scanners/posture.conf
// fuzz-env: ASAN_OPTIONS=detect_leaks=0
// libFuzzer target for the tab-separated data files and the posture policy (scanners/, or a
// user's own through --catalog, --manufacturers, --targets): catalog, OS lifecycle, security
// checklist, policy, the manufacturer dictionary (and every lookup in what it read), the
// domestic-share targets and the OS name table (and a lookup of the input's head in what it read).
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
    if let entries = try? ManufacturerFile.read(bytes, file: "fuzz.tsv") {
        let dictionary = ManufacturerDictionary(entries: entries)
        for e in entries.prefix(8) { _ = dictionary.canonical(e.manufacturer.name + " Co., Ltd.") }
        _ = dictionary.canonical(String(decoding: bytes.prefix(64), as: UTF8.self))
    }
    _ = try? DomesticTargetsFile.read(bytes, file: "fuzz.tsv")
    if let names = try? OSNameFile.read(bytes, file: "fuzz.tsv") {
        _ = names.name(String(decoding: bytes.prefix(64), as: UTF8.self))
    }
    return 0
}
