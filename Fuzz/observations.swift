// fuzz-modules: LedgerModel Ingest
// fuzz-seeds: files:fixtures/sample/observations.jsonl
// libFuzzer target for observation JSON Lines, read whole and normalized as the merge does.
import Foundation
import Ingest
import LedgerModel

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Data(bytes: data, count: size)
    if let observations = try? ObservationFile.read(bytes, file: "fuzz.jsonl") {
        for o in observations { _ = ObservationIdentity(o.normalized()) }
    }
    return 0
}
