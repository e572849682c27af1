// fuzz-modules: LedgerModel Ingest
// fuzz-seeds: tree:@fixtures/agents files:fixtures/sample/observations.jsonl files:Fuzz/seeds/*.xml
// fuzz-selector: 9
// fuzz-env: ASAN_OPTIONS=detect_leaks=0
// fuzz-flags: -rss_limit_mb=8192
// libFuzzer target for the import registry. Every sniffer runs on every input (one head, as
// detection builds one per file); the first byte picks what reads the rest: one of the readers
// whatever the sniffers say (a reader never trusts its sniffer), or detection and the reader it
// picks, so each input costs one read instead of nine.
import Foundation
import Ingest
import LedgerModel

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let readers = InventoryReaders.all
    let choice = Int(data[0]) % (readers.count + 1)
    let bytes = Data(bytes: data + 1, count: size - 1)
    let head = SniffHead(bytes)
    for reader in readers { _ = reader.sniff(head, file: "fuzz") }
    if choice < readers.count {
        _ = try? readers[choice].read(bytes, file: "fuzz")
    } else {
        _ = try? InventoryReaders.read(bytes, file: "fuzz")
    }
    return 0
}
