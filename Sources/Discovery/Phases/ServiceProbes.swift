import Foundation
import LedgerModel

/// The TCP conversations with a host's open ports, through kernel sockets (few hosts, real
/// connections): banners (FTP, SSH, HylaFAX), PJLink questions, the web page's title and
/// `Server` (over TLS on 443 and 8443, with the certificate's subject and issuer), SMB2
/// negotiate and the NTLM challenge (names, OS version), IPP Get-Printer-Attributes, the UPnP description an SSDP answer pointed to, and
/// last, only for a host the other signals already call a printer, PJL `INFO ID` on its raw
/// port. Each conversation has a deadline and a byte cap; a failed one gives no signal.
/// Everything sent passes `TCPGate` (the raw-print-port rule) first.
public struct ServiceProbes: Sendable {
    public struct Host: Sendable {
        public var target: LinkTarget
        public var openPorts: [UInt16]
        /// What the UDP questions and the MAC vendor already said.
        public var signals: Signals
        public var description: String?
        /// False for a host behind a router (it takes no neighbour entry of its own).
        public var onLink = true
        public init(target: LinkTarget, openPorts: [UInt16], signals: Signals, description: String? = nil) {
            self.target = target
            self.openPorts = openPorts
            self.signals = signals
            self.description = description
        }
    }

    /// A record of every payload sent to a port (for `--verbose` and the safety tests).
    /// One conversation: where, how many bytes we sent, and whether the connection was made.
    public struct Sent: Equatable, Sendable {
        public var ip: IPAddress
        public var port: UInt16
        public var bytes: Int
        public var connected = true
    }

    public var timeout: Double = 3
    /// Hosts talked to at once (each host's conversations run one after another).
    public var workers = 16
    /// Conversations not to hold (`probeNames`).
    public var skip: Set<String> = []
    /// The conversations by name, for `--skip` (`ProbeRegistry.tcp`).
    public static var probeNames: [String] { ProbeRegistry.tcp.map(\.name) }
    /// The conversations, in the order each host is offered them.
    public var probes: [any TCPProbe] = ProbeRegistry.tcp
    /// Every payload goes through it (the raw-print-port rule); its connector is the kernel's
    /// or, in tests, the fake network's.
    public var gate = TCPGate()
    public let rules: [FingerprintRule]

    public init(rules: [FingerprintRule]) { self.rules = rules }

    /// Set once the scan is stopped: no host's conversations start after it (those going on end
    /// at their deadline).
    public var stop: ScanStop?

    /// Longest wait for the kernel to free neighbour entries before the next batch of hosts.
    public var neighbourWait: Double = 180

    /// Talks to every host. These are kernel connections, and each on-link host needs an entry
    /// in the kernel's neighbour table, which is capped (gc_thresh3, 1,024 by default) and frees
    /// unused entries only a minute or two after their last use: past the cap, connects fail.
    /// (The SYN scan's resets already filled it for hosts with open ports.) So hosts the table
    /// already holds go first, then as many new ones as the room left allows, waiting between
    /// batches for the kernel to free entries (at most `neighbourWait` seconds each time).
    public func run(_ hosts: [Host]) -> (signals: [IPAddress: Signals], sent: [Sent]) {
        // The cap counts every namespace's entries, and a namespace sees only its own: half
        // of it is ours to plan with; what still fails to connect is tried again below.
        let room = NeighbourTable.capacity() / 2
        var results = [(Signals, [Sent])?](repeating: nil, count: hosts.count)
        func talkTo(_ indices: [Int]) {
            var remaining = indices
            while !remaining.isEmpty {
                let known = NeighbourTable.addresses()
                var batch = remaining.filter { !hosts[$0].onLink || known.contains(hosts[$0].target.ip.description) }
                let fresh = remaining.filter { hosts[$0].onLink && !known.contains(hosts[$0].target.ip.description) }
                batch += fresh.prefix(max(0, room - known.count))
                if batch.isEmpty {
                    // Wait for the kernel to free entries; past the wait, try anyway.
                    waitForRoom(room - workers)
                    if NeighbourTable.entries() >= room - workers { batch = Array(fresh.prefix(workers)) }
                    if batch.isEmpty { continue }
                }
                let jobs = batch
                let done = WorkerPool.map(jobs: jobs.count, workers: workers) { i in
                    var log: [Sent] = []
                    let s = probe(hosts[jobs[i]], log: &log)
                    return (s, log)
                }
                for (i, result) in zip(jobs, done) { results[i] = result }
                let taken = Set(jobs)
                remaining.removeAll { taken.contains($0) }
            }
        }
        func waitForRoom(_ limit: Int) {
            let deadline = monotonicSeconds() + neighbourWait
            while NeighbourTable.entries() >= limit, monotonicSeconds() < deadline, stop?.isRequested != true {
                sleep(1)
            }
        }
        talkTo(Array(hosts.indices))
        // Hosts none of whose connections could be made: once more, after the kernel has freed
        // entries (their conversations only, so what did work is not asked twice).
        let unreached = hosts.indices.filter { i in
            let log = results[i]?.1 ?? []
            return !log.isEmpty && log.allSatisfy { !$0.connected } && hosts[i].onLink
        }
        if !unreached.isEmpty {
            waitForRoom(max(workers, room - unreached.count))
            talkTo(unreached)
        }
        var out: [IPAddress: Signals] = [:]
        for (host, result) in zip(hosts, results) { out[host.target.ip] = result?.0 }
        return (out, results.flatMap { $0?.1 ?? [] })
    }

    /// The signals one host gives over TCP: each probe not skipped, in order, through one session.
    func probe(_ host: Host, log: inout [Sent]) -> Signals {
        let session = TCPSession(host: host, gate: gate, timeout: timeout, isPrinter: isPrinter)
        for probe in probes where !skip.contains(probe.name) && stop?.isRequested != true { probe.talk(session) }
        log += session.log
        return session.signals
    }

    /// Where an SSDP answer's LOCATION points, if it may be fetched: plain HTTP, on the host
    /// that answered, a valid port, a path without spaces or control characters (sent as it
    /// came, still percent-encoded).
    static func descriptionTarget(_ location: String, host: IPAddress) -> (UInt16, String)? {
        guard let url = URL(string: location), url.scheme?.lowercased() == "http", url.host == host.description,
            let port = UInt16(exactly: url.port ?? 80), port > 0
        else { return nil }
        var path = url.path(percentEncoded: true)
        if path.isEmpty { path = "/" }
        if let query = url.query(percentEncoded: true) { path += "?" + query }
        guard path.hasPrefix("/"), path.utf8.count <= 1_024,
            path.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
        else { return nil }
        return (port, path)
    }

    /// Whether signals other than open ports and the MAC vendor call the host a printer or MFP.
    func isPrinter(_ a: Signals, _ b: Signals) -> Bool {
        var both = a
        both.merge(b)
        let telling = Signals(both.values.filter { !$0.key.hasPrefix("port.") && $0.key != "mac.vendor" })
        let verdict = Fingerprints.evaluate(telling.values, rules: rules)
        return verdict.deviceClass == .printer || verdict.deviceClass == .mfp
    }
}

/// A fixed number of threads working through numbered jobs: blocking probes with deadlines,
/// at most `workers` at once. Results come back in job order.
enum WorkerPool {
    final class Box<T>: @unchecked Sendable {
        let lock = NSLock()
        var next = 0
        var results: [T?]
        init(_ n: Int) { results = Array(repeating: nil, count: n) }
    }

    static func map<T>(jobs: Int, workers: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
        guard jobs > 0 else { return [] }
        let box = Box<T>(jobs)
        let group = DispatchGroup()
        for _ in 0..<max(1, min(workers, jobs)) {
            group.enter()
            Thread {
                while true {
                    box.lock.lock()
                    let job = box.next
                    box.next += 1
                    box.lock.unlock()
                    if job >= jobs { break }
                    let result = body(job)
                    box.lock.lock()
                    box.results[job] = result
                    box.lock.unlock()
                }
                group.leave()
            }.start()
        }
        group.wait()
        return box.results.map { $0! }
    }
}

/// The kernel's IPv4 neighbour (ARP) table as this network namespace sees it.
enum NeighbourTable {
    /// The hard cap on entries (gc_thresh3), 1,024 when it cannot be read.
    static func capacity() -> Int {
        let text = Sockets.readProcFile("/proc/sys/net/ipv4/neigh/default/gc_thresh3")
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 1_024
    }

    /// Entries now (lines of /proc/net/arp after its header).
    static func entries() -> Int { addresses().count }

    /// The addresses the table holds now.
    static func addresses() -> Set<String> {
        let text = Sockets.readProcFile("/proc/net/arp")
        return Set(
            text.split(separator: "\n").dropFirst().compactMap { $0.split(separator: " ").first.map(String.init) })
    }
}
