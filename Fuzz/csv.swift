// fuzz-modules: LedgerModel Ingest
// libFuzzer target for the CSV reader and the department, subnet and host-name rule files, the
// licence register, the staff list and the signed commitments (scripts/fuzz.sh): text decoding
// (UTF-8, BOM, GB18030), records with line numbers, and each file's checks. A refusal is an InputError, which is fine; only a crash is a finding.
// fuzz-seeds: files:fixtures/sample/*.csv

import Foundation
import Ingest

let products: Set<String> = ["Microsoft Windows", "Microsoft Office", "WPS Office", "Microsoft SQL Server"]
let departments: Set<String> = ["DZB", "XCB", "CWC", "XXZX"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(UnsafeBufferPointer(start: data, count: size))
    if let text = try? TextDecoding.decode(bytes, file: "fuzz.csv").text {
        _ = try? CSVReader.records(text, file: "fuzz.csv")
    }
    _ = try? DepartmentFile.read(bytes, file: "departments.csv")
    _ = try? SubnetFile.read(bytes, file: "subnets.csv")
    _ = try? HostnameRuleFile.read(bytes, file: "hostname-rules.csv")
    _ = try? LicenseFile.read(bytes, file: "licences.csv", products: products, departments: departments)
    _ = try? StaffFile.read(bytes, file: "staff.csv", departments: departments)
    _ = try? CommitmentFile.read(bytes, file: "commitments.csv", employees: ["T0001", "T0002", "T0101"])
    return 0
}
