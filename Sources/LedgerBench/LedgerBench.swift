import Foundation
import LedgerModel
import LedgerStore

/// Issue 2's benchmark: merge 100,000 observations into 50,000 devices, list one department.
func runLedgerBench(_ options: Options) throws {
    let campus = try Campus.build(options)
    defer { campus.remove() }
    let ledger = campus.ledger

    // Every device is first seen by a scan; a day later PCs send an agent report (serial,
    // UUID, model, OS) and printers are rescanned (model, serial, firmware), in random order.
    var rng = SplitMix(seed: 2026)
    var scans: [Observation] = []
    var seconds: [Observation] = []
    let start = Date(timeIntervalSince1970: 1_790_000_000)
    for n in campus.placement.indices {
        let isPC = n % 4 != 0
        scans.append(
            Observation(
                source: .scan, sourceRef: "bench", observedAt: start.addingTimeInterval(Double(n)),
                deviceClass: isPC ? .pc : .printer, vendor: isPC ? "Lenovo" : "HP", macs: [campus.mac(n)],
                ips: [campus.ip(n)], hostnames: [campus.hostname(n)]))
        let later = start.addingTimeInterval(86_400 + Double(n))
        seconds.append(
            isPC
                ? Observation(
                    source: .agent, sourceRef: "bench", observedAt: later, deviceClass: .pc, vendor: "LENOVO",
                    model: "ThinkCentre M720t", serial: String(format: "PC%08X", n),
                    uuid: String(format: "8A7B6C5D-1234-11E9-8000-%012X", n), os: "Windows 10 Pro 22H2",
                    macs: [campus.mac(n)], ips: [campus.ip(n)], hostnames: [campus.hostname(n)])
                : Observation(
                    source: .scan, sourceRef: "bench", observedAt: later, deviceClass: .printer, vendor: "HP",
                    model: "LaserJet M404", serial: String(format: "PHB%07X", n), firmware: "2.1",
                    macs: [campus.mac(n)], ips: [campus.ip(n)], hostnames: [campus.hostname(n)]))
    }
    seconds.shuffle(using: &rng)
    let observations = scans + seconds

    let mergeStart = now()
    var summary = MergeSummary()
    for first in stride(from: 0, to: observations.count, by: options.batch) {
        let s = try ledger.merge(Array(observations[first..<min(first + options.batch, observations.count)]))
        summary.observations += s.observations
        summary.timings.add(s.timings)
    }
    let mergeSeconds = now() - mergeStart
    let rate = Double(summary.observations) / mergeSeconds
    let deviceCount = try ledger.counts()["device"] ?? 0

    var listTimes: [Double] = []
    var listed = 0
    for _ in 0..<options.listRuns {
        let s = now()
        listed = try ledger.devices(DeviceFilter(department: "D00")).count
        listTimes.append((now() - s) * 1000)
    }
    let listMedian = median(listTimes)

    print(
        "ledger benchmark: \(summary.observations) observations, \(deviceCount) devices, \(options.departments) departments"
    )
    printRow(["measure", "ours", "target", "ok"])
    printRow(["merge rate (observations/s)", String(format: "%.0f", rate), ">= 50000", rate >= 50_000 ? "yes" : "NO"])
    printRow(["merge wall time (s)", String(format: "%.2f", mergeSeconds), "-", ""])
    printRow([
        "department list, \(listed) devices (ms, median of \(options.listRuns))", String(format: "%.1f", listMedian),
        "<= 20", listMedian <= 20 ? "yes" : "NO",
    ])
    printRow([
        "devices (expected \(options.devices))", String(deviceCount), String(options.devices),
        deviceCount == options.devices ? "yes" : "NO",
    ])
    printRow(["peak RSS (MB)", String(format: "%.0f", peakRSSMB()), "-", ""])
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
}

func printRow(_ cells: [String]) {
    print(zip(cells, [34, 16, 14, 8]).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined())
}
