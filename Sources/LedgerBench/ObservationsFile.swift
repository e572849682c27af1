import Foundation
import Ingest
import LedgerModel
import LedgerStore

#if canImport(Glibc)
    import Glibc
#endif

/// `ledger-bench observations-file --out PATH [--observations N] [--devices N]`: writes the
/// import benchmark's JSON Lines file (scripts/bench-import.sh). Deterministic. Each device is
/// first seen by a scan (MAC, IP, host name, class, vendor); PCs then send agent reports
/// (serial, UUID, model, OS) and printers are rescanned (serial, firmware), so the file holds
/// `observations` lines over `devices` distinct machines, the later sightings in random order.
func writeObservationsFile(_ options: Options) throws {
    guard let path = options.out else { throw LedgerError(.invalidInput, "observations-file needs --out PATH") }
    let total = options.observations
    let devices = min(options.devices, total)
    var rng = SplitMix(seed: 11)
    // Later sightings: device numbers, each device at least once more when there is room.
    var later: [Int] = []
    later.reserveCapacity(total - devices)
    for k in 0..<(total - devices) { later.append(k < devices ? k : Int(rng.next() % UInt64(devices))) }
    later.shuffle(using: &rng)

    _ = FileManager.default.createFile(atPath: path, contents: nil)
    guard let out = FileHandle(forWritingAtPath: path) else { throw LedgerError(.io, "cannot write \(path)") }
    defer { try? out.close() }
    var buffer = ""
    buffer.reserveCapacity(1 << 20)
    let start = 1_790_000_000
    func date(_ seconds: Int) -> String {
        ISO8601DateFormatter.string(
            from: Date(timeIntervalSince1970: Double(seconds)), timeZone: TimeZone(identifier: "UTC")!,
            formatOptions: [.withInternetDateTime])
    }
    func mac(_ n: Int) -> String {
        String(format: "54:e1:ad:%02x:%02x:%02x", (n >> 16) & 255, (n >> 8) & 255, n & 255)
    }
    func host(_ n: Int) -> String { String(format: "d%02d-%@-%05d", n % 60, n % 4 == 0 ? "prn" : "pc", n / 60) }
    func ip(_ n: Int) -> String { "10.\((n >> 16) & 255).\((n >> 8) & 255).\(n & 255)" }
    func emit(_ line: String) {
        buffer += line
        buffer += "\n"
        if buffer.utf8.count > 1 << 20 {
            out.write(Data(buffer.utf8))
            buffer.removeAll(keepingCapacity: true)
        }
    }
    for n in 0..<devices {
        let isPC = n % 4 != 0
        emit(
            #"{"source":"scan","observed_at":"\#(date(start + n))","class":"\#(isPC ? "pc" : "printer")","vendor":"\#(isPC ? "Lenovo" : "HP")","macs":["\#(mac(n))"],"ips":["\#(ip(n))"],"hostnames":["\#(host(n))"]}"#
        )
    }
    for (k, n) in later.enumerated() {
        let at = date(start + 86_400 + k)
        if n % 4 != 0 {
            emit(
                #"{"source":"agent","observed_at":"\#(at)","model":"ThinkCentre M720t","serial":"\#(String(format: "PC%08X", n))","uuid":"\#(String(format: "8A7B6C5D-1234-11E9-8000-%012X", n))","os":"Windows 11 Pro","macs":["\#(mac(n))"],"ips":["\#(ip(n))"],"hostnames":["\#(host(n))"]}"#
            )
        } else {
            emit(
                #"{"source":"scan","observed_at":"\#(at)","class":"printer","vendor":"HP","model":"LaserJet M404","serial":"\#(String(format: "PHB%07X", n))","firmware":"2.\#(k % 7)","macs":["\#(mac(n))"],"ips":["\#(ip(n))"],"hostnames":["\#(host(n))"]}"#
            )
        }
    }
    out.write(Data(buffer.utf8))
    print("\(path): \(total) observations of \(devices) devices")
}

/// `ledger-bench import-file PATH [--batch N] [--db PATH]`: the `import` command's streaming
/// path on one file, with where the time goes (for tuning the batch size).
func runImportFile(_ options: Options, path: String) throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("import-bench-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let ledger = try Ledger.open(path: options.path ?? directory.appendingPathComponent("ledger.sqlite").path)
    let start = now()
    let stream = try ObservationStream(path: path, batchSize: options.batch)
    var reading = 0.0
    let summary = try ledger.merge(batches: {
        let t = now()
        defer { reading += now() - t }
        return try stream.next()
    })
    let seconds = now() - start
    let n = Double(summary.observations)
    print(
        String(
            format: "%d observations in %.2f s: %.0f observations/s, batch %d, peak RSS %.0f MB",
            summary.observations, seconds, n / seconds, options.batch, peakRSSMB()))
    let t = summary.timings
    let us = { (s: Double) in String(format: "%.1f", s / n * 1e6) }
    print("  read and decode              \(us(reading))")
    print("  prepare                      \(us(t.prepare))")
    print("  resolve (identity rules)     \(us(t.resolve))")
    for (table, s) in t.write.sorted(by: { $0.value > $1.value }) {
        print("  write \(table.padding(toLength: 22, withPad: " ", startingAt: 0)) \(us(s))")
    }
    let rest = seconds - reading - t.prepare - t.resolve - t.write.values.reduce(0, +)
    print("  commit and the rest          \(us(rest))")
}
