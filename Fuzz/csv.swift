// fuzz-modules: LedgerModel Ingest
// libFuzzer target for the CSV reader and the files read through it (departments, subnets,
// host-name rules), text decoding included.
import Foundation
import Ingest
import LedgerModel

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Data(bytes: data, count: size)
    if let text = try? TextDecoding.decode(bytes, file: "fuzz.csv").text {
        _ = try? CSVReader.records(text, file: "fuzz.csv")
    }
    _ = try? DepartmentFile.read(bytes, file: "fuzz.csv")
    _ = try? SubnetFile.read(bytes, file: "fuzz.csv")
    _ = try? HostnameRuleFile.read(bytes, file: "fuzz.csv")
    return 0
}
