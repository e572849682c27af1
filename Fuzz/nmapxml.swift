// fuzz-modules: LedgerModel Ingest
// fuzz-seeds: files:Fuzz/seeds/nmap-*.xml
// fuzz-env: ASAN_OPTIONS=detect_leaks=0
// fuzz-flags: -rss_limit_mb=8192
// libFuzzer target for nmap XML (-oX) through the bounded inventory tree.
import Foundation
import Ingest
import LedgerModel

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Data(bytes: data, count: size)
    if let observations = try? NmapXML.read(bytes, file: "fuzz.xml") {
        for o in observations { _ = o.normalized() }
    }
    return 0
}
