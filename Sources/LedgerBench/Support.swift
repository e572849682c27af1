// Shared parts of the benchmarks: options, clocks, a deterministic generator, the campus.
import Foundation
import LedgerModel
import LedgerStore

#if canImport(Glibc)
    import Glibc
#endif

struct Options {
    var devices = 50_000
    var departments = 60
    var bigDepartment = 5_000
    var batch = 10_000
    var listRuns = 25
    var complianceRuns = 5
    var path: String?
    var reports = 10_000
    var programs = 300
    var agents = "../shared/fixtures/agents"
    var observations = 300_000
    var out: String?

    init(_ args: [String]) {
        var it = args.makeIterator()
        while let a = it.next() {
            switch a {
            case "--devices": devices = Int(it.next() ?? "") ?? devices
            case "--batch": batch = Int(it.next() ?? "") ?? batch
            case "--db": path = it.next()
            case "--reports": reports = Int(it.next() ?? "") ?? reports
            case "--agents": agents = it.next() ?? agents
            case "--observations": observations = Int(it.next() ?? "") ?? observations
            case "--out": out = it.next()
            case "--compliance-runs": complianceRuns = Int(it.next() ?? "") ?? complianceRuns
            default: break
            }
        }
    }
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func peakRSSMB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func ipv4(_ n: Int) -> String {
    let base = (198 << 24) | (18 << 16)
    let v = base + n
    return "\(v >> 24 & 255).\(v >> 16 & 255).\(v >> 8 & 255).\(v & 255)"
}
