// fuzz-modules: LedgerModel Ingest
// fuzz-seeds: tree:@fixtures/agents files:fixtures/sample/observations.jsonl files:Fuzz/seeds/*.xml
// fuzz-env: ASAN_OPTIONS=detect_leaks=0
// fuzz-flags: -rss_limit_mb=8192
// libFuzzer target for the import registry: detection and the reader it picks, then every
// reader on the same bytes whatever the sniffers say (a reader never trusts its sniffer).
import Foundation
import Ingest
import LedgerModel

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Data(bytes: data, count: size)
    _ = try? InventoryReaders.read(bytes, file: "fuzz")
    // One head for every sniffer, as detection builds one per file.
    let head = SniffHead(bytes)
    for reader in InventoryReaders.all {
        _ = reader.sniff(head, file: "fuzz")
        _ = try? reader.read(bytes, file: "fuzz")
    }
    return 0
}
