import Foundation
import LedgerModel

/// `ledger-bench observations-file --out PATH [--observations N] [--devices N]`: writes the
/// import benchmark's JSON Lines file (scripts/bench-import.sh). Deterministic. Each device is
/// first seen by a scan (MAC, IP, host name, class, vendor); PCs then send agent reports
/// (serial, UUID, model, OS) and printers are rescanned (serial, firmware), so the file holds
/// `observations` lines over `devices` distinct machines, the later sightings in random order.
func writeObservationsFile(_ options: Options) throws {
    guard let path = options.out else { throw LedgerError("observations-file needs --out PATH") }
    let total = options.observations
    let devices = min(options.devices, total)
    var rng = SplitMix(seed: 11)
    // Later sightings: device numbers, each device at least once more when there is room.
    var later: [Int] = []
    later.reserveCapacity(total - devices)
    for k in 0..<(total - devices) { later.append(k < devices ? k : Int(rng.next() % UInt64(devices))) }
    later.shuffle(using: &rng)

    _ = FileManager.default.createFile(atPath: path, contents: nil)
    guard let out = FileHandle(forWritingAtPath: path) else { throw LedgerError("cannot write \(path)") }
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
