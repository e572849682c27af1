// Ledger benchmark: merge 100,000 observations into 50,000 devices across 60 departments, then
// list one department's 5,000 devices. Run with `scripts/bench-ledger.sh` (release build).
// Prints a table of figures against the targets in issue 2; never asserts.
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
    var path: String?

    init(_ args: [String]) {
        var it = args.makeIterator()
        while let a = it.next() {
            switch a {
            case "--devices": devices = Int(it.next() ?? "") ?? devices
            case "--batch": batch = Int(it.next() ?? "") ?? batch
            case "--db": path = it.next()
            default: break
            }
        }
    }
}

let options = Options(Array(CommandLine.arguments.dropFirst()))

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

/// A deterministic generator so every run merges the same data.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func ipv4(_ n: Int) -> String {
    let base = (198 << 24) | (18 << 16)
    let v = base + n
    return "\(v >> 24 & 255).\(v >> 16 & 255).\(v >> 8 & 255).\(v & 255)"
}

// MARK: - Build the campus

let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-bench-\(getpid())")
try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: dir) }
let path = options.path ?? dir.appendingPathComponent("bench.sqlite").path
let ledger = try Ledger.open(path: path)

// 60 departments: 20 functional, 10 support, 30 colleges with the colleges' sections below them.
var entries: [DepartmentTree.Entry] = []
for i in 0..<options.departments {
    let kind: DepartmentKind = i < 20 ? .functional : i < 30 ? .support : .college
    let parent: String? = i >= 45 ? String(format: "D%02d", i - 15) : nil
    entries.append(
        .init(
            line: i + 2,
            department: Department(
                code: String(format: "D%02d", i), name: "部门\(i)", kind: kind, parentCode: parent,
                liaison: Contact(name: "联络员\(i)"))))
}
try ledger.importDepartments(entries, file: "bench-departments")

// Department 0 owns a /19 (its 5,000 devices); the others a /22 each.
var subnets: [(line: Int, rule: SubnetRule)] = []
var firstAddress: [Int] = []
var offset = 0
for i in 0..<options.departments {
    let size = i == 0 ? 8192 : 1024
    let prefix = 32 - Int(log2(Double(size)))
    subnets.append(
        (
            i + 2,
            SubnetRule(
                network: try IPNetwork(cidr: "\(ipv4(offset))/\(prefix)"), departmentCode: String(format: "D%02d", i))
        ))
    firstAddress.append(offset)
    offset += size
}
try ledger.importSubnets(subnets, file: "bench-subnets")

// 50,000 devices: department 0 gets 5,000, the rest are spread over the other 59.
let perOther = (options.devices - options.bigDepartment) / (options.departments - 1)
var rng = SplitMix(state: 2026)
var observations: [Observation] = []
observations.reserveCapacity(options.devices * 2)
let t0 = Date(timeIntervalSince1970: 1_790_000_000)
var deviceIndex = 0
for dept in 0..<options.departments {
    let count =
        dept == 0
        ? options.bigDepartment
        : perOther + (dept <= (options.devices - options.bigDepartment) % (options.departments - 1) ? 1 : 0)
    for k in 0..<count {
        let n = deviceIndex
        deviceIndex += 1
        let mac = String(format: "54:e1:ad:%02x:%02x:%02x", (n >> 16) & 255, (n >> 8) & 255, n & 255)
        let host = String(format: "d%02d-pc-%05d", dept, k)
        let ip = ipv4(firstAddress[dept] + 1 + k)
        let isPC = n % 4 != 0
        // First sighting: a scan.
        observations.append(
            Observation(
                source: .scan, sourceRef: "bench", observedAt: t0.addingTimeInterval(Double(n)),
                deviceClass: isPC ? .pc : .printer, vendor: isPC ? "Lenovo" : "HP", macs: [mac], ips: [ip],
                hostnames: [host]))
        if isPC {
            // Second: the PC's agent report, with serial and UUID, a day later.
            observations.append(
                Observation(
                    source: .agent, sourceRef: "bench", observedAt: t0.addingTimeInterval(86_400 + Double(n)),
                    deviceClass: .pc, vendor: "LENOVO", model: "ThinkCentre M720t",
                    serial: String(format: "PC%08X", n), uuid: String(format: "8A7B6C5D-1234-11E9-8000-%012X", n),
                    os: "Windows 10 Pro 22H2", macs: [mac], ips: [ip], hostnames: [host]))
        } else {
            // Second: the printer rescanned after a DHCP renewal, new firmware.
            observations.append(
                Observation(
                    source: .scan, sourceRef: "bench", observedAt: t0.addingTimeInterval(86_400 + Double(n)),
                    deviceClass: .printer, vendor: "HP", model: "LaserJet M404", serial: String(format: "PHB%07X", n),
                    firmware: "2.1", macs: [mac], ips: [ip], hostnames: [host]))
        }
    }
}
// Scans come in segment order, agents whenever: shuffle within each half-day.
let firstHalf = observations.indices.filter { $0 % 2 == 0 }.map { observations[$0] }
var secondHalf = observations.indices.filter { $0 % 2 == 1 }.map { observations[$0] }
secondHalf.shuffle(using: &rng)
observations = firstHalf + secondHalf

// MARK: - Merge

let mergeStart = now()
var summary = MergeSummary()
for start in stride(from: 0, to: observations.count, by: options.batch) {
    let s = try ledger.merge(Array(observations[start..<min(start + options.batch, observations.count)]))
    summary.created += s.created
    summary.matched += s.matched
    summary.observations += s.observations
    summary.timings.add(s.timings)
}
let mergeSeconds = now() - mergeStart
let rate = Double(summary.observations) / mergeSeconds
let deviceCount = try ledger.counts()["device"] ?? 0

// MARK: - List one department

var listTimes: [Double] = []
var listed = 0
for _ in 0..<options.listRuns {
    let s = now()
    listed = try ledger.devices(DeviceFilter(department: "D00")).count
    listTimes.append((now() - s) * 1000)
}
let listMedian = median(listTimes)

func row(_ cells: [String]) -> String {
    zip(cells, [34, 16, 14, 8]).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined()
}
print(
    "ledger benchmark: \(summary.observations) observations, \(deviceCount) devices, \(options.departments) departments"
)
print(row(["measure", "ours", "target", "ok"]))
print(row(["merge rate (observations/s)", String(format: "%.0f", rate), ">= 50000", rate >= 50_000 ? "yes" : "NO"]))
print(row(["merge wall time (s)", String(format: "%.2f", mergeSeconds), "-", ""]))
print(
    row([
        "department list, \(listed) devices (ms, median of \(options.listRuns))", String(format: "%.1f", listMedian),
        "<= 20", listMedian <= 20 ? "yes" : "NO",
    ]))
print(
    row([
        "devices (expected \(options.devices))", String(deviceCount), String(options.devices),
        deviceCount == options.devices ? "yes" : "NO",
    ]))
print(row(["peak RSS (MB)", String(format: "%.0f", peakRSSMB()), "-", ""]))
let t = summary.timings
let perObservation = { (seconds: Double) in String(format: "%.1f", seconds / Double(summary.observations) * 1e6) }
print("\nwhere the merge time goes (microseconds per observation):")
print("  prepare (rules, key index)   \(perObservation(t.prepare))")
print("  resolve (identity rules)     \(perObservation(t.resolve))")
for (table, seconds) in t.write.sorted(by: { $0.value > $1.value }) {
    print("  write \(table.padding(toLength: 22, withPad: " ", startingAt: 0)) \(perObservation(seconds))")
}
let written = t.prepare + t.resolve + t.write.values.reduce(0, +)
print("  commit and the rest          \(perObservation(t.total - written))")
