import LedgerModel

/// What a scan may touch: the explicit targets minus the exclusions, as disjoint IPv4
/// intervals. Pure: it sends nothing. The scanner asks it for targets one at a time, in a
/// shuffled order that never holds the whole list in memory.
///
/// Safety rules applied here, in one place:
/// - no targets, or targets that are all excluded → refusal (never "scan everything");
/// - loopback, `0.0.0.0/8`, multicast, the limited broadcast and class E are refused as
///   targets, since nothing there is a campus device and sending there is never intended;
/// - a CIDR of /30 or wider loses its network and broadcast addresses (as arp-scan does);
/// - more than `maximumHosts` targets → refusal naming the count, so a typo such as `/8` for
///   `/24` cannot start a sweep of sixteen million addresses.
public struct ScanScope: Sendable, Equatable, CustomStringConvertible {
    /// Closed ranges of IPv4 addresses as integers, sorted and disjoint.
    public private(set) var intervals: [ClosedRange<UInt32>]
    /// How many addresses the scope holds.
    public let count: Int
    /// What `--exclude` named: never to be touched, even when not a target (a gateway).
    public private(set) var excluded: [ClosedRange<UInt32>] = []

    /// The default ceiling on targets: one /16.
    public static let defaultMaximumHosts = 65_536

    /// Parses `targets` and `exclusions`, each a list of items separated by commas or
    /// whitespace: `198.18.0.0/24`, `198.18.0.1-198.18.0.40`, `198.18.0.7`.
    public init(targets: [String], exclusions: [String] = [], maximumHosts: Int = defaultMaximumHosts) throws {
        let wanted = try Self.parse(targets, role: "target", trimEdges: true)
        guard !wanted.isEmpty else {
            throw LedgerError(
                .refusedByPolicy, "no scan scope: name the subnets or addresses to scan (nothing is scanned by default)"
            )
        }
        for range in wanted {
            if let reserved = Self.reserved.first(where: { $0.range.overlaps(range) }) {
                throw LedgerError(
                    .refusedByPolicy,
                    "refused target \(Self.text(range)): it overlaps \(reserved.name), which holds no campus devices")
            }
        }
        let excluded = try Self.parse(exclusions, role: "exclusion", trimEdges: false)
        self.excluded = Self.merge(excluded)
        intervals = Self.subtract(Self.merge(wanted), self.excluded)
        count = intervals.reduce(0) { $0 + Int($1.upperBound - $1.lowerBound) + 1 }
        guard count > 0 else { throw LedgerError(.invalidInput, "the exclusions leave nothing to scan") }
        guard count <= maximumHosts else {
            throw LedgerError(
                .refusedByPolicy,
                "scope holds \(count) addresses, more than the limit of \(maximumHosts); narrow it or raise --max-hosts"
            )
        }
    }

    init(intervals: [ClosedRange<UInt32>], excluded: [ClosedRange<UInt32>] = []) {
        self.intervals = intervals
        self.excluded = excluded
        count = intervals.reduce(0) { $0 + Int($1.upperBound - $1.lowerBound) + 1 }
    }

    /// Whether `--exclude` names this address.
    public func isExcluded(_ value: UInt32) -> Bool { excluded.contains { $0.contains(value) } }

    /// The part of the scope inside `network` (on-link) and the rest (routed); either may be nil.
    public func split(by network: ClosedRange<UInt32>) -> (inside: ScanScope?, outside: ScanScope?) {
        let inside = intervals.compactMap { r -> ClosedRange<UInt32>? in
            r.overlaps(network) ? max(r.lowerBound, network.lowerBound)...min(r.upperBound, network.upperBound) : nil
        }
        let outside = Self.subtract(intervals, [network])
        return (
            inside.isEmpty ? nil : ScanScope(intervals: inside, excluded: excluded),
            outside.isEmpty ? nil : ScanScope(intervals: outside, excluded: excluded)
        )
    }

    public func contains(_ address: IPAddress) -> Bool {
        guard address.isV4 else { return false }
        let value = Self.integer(address.bytes)
        var low = 0
        var high = intervals.count - 1
        while low <= high {
            let mid = (low + high) / 2
            if intervals[mid].contains(value) { return true }
            if value < intervals[mid].lowerBound { high = mid - 1 } else { low = mid + 1 }
        }
        return false
    }

    /// The address at `index` in ascending order, as a 32-bit value (0 ≤ index < count).
    public func value(at index: Int) -> UInt32 {
        precondition(index >= 0 && index < count)
        var remaining = UInt32(index)
        for range in intervals {
            let size = range.upperBound - range.lowerBound
            if remaining <= size { return range.lowerBound + remaining }
            remaining -= size + 1
        }
        preconditionFailure("index beyond the scope")
    }

    /// The index of an address in ascending order, nil outside the scope.
    public func index(of value: UInt32) -> Int? {
        var before = 0
        for range in intervals {
            if range.contains(value) { return before + Int(value - range.lowerBound) }
            if value < range.lowerBound { return nil }
            before += Int(range.upperBound - range.lowerBound) + 1
        }
        return nil
    }

    /// The address at `index` in ascending order (0 ≤ index < count).
    public func address(at index: Int) -> IPAddress { IPAddress(v4: value(at: index)) }

    /// Every address once, in an order shuffled by `seed` (so neighbouring hosts, and the
    /// switches in front of them, are not hit in a burst), holding no list of addresses.
    public func shuffled(seed: UInt64) -> ShuffledAddresses { ShuffledAddresses(scope: self, seed: seed) }

    /// Every address once in ascending order.
    public var ascending: [IPAddress] { (0..<count).map(address(at:)) }

    public var description: String { intervals.map(Self.text).joined(separator: ",") }

    // MARK: - Parsing

    static func parse(_ items: [String], role: String, trimEdges: Bool) throws -> [ClosedRange<UInt32>] {
        var out: [ClosedRange<UInt32>] = []
        for item in items.flatMap({ $0.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\n" || $0 == "\t" }) })
        {
            let text = String(item)
            if text.contains("-") {
                let ends = text.split(separator: "-", omittingEmptySubsequences: false)
                guard ends.count == 2, let first = IPAddress(String(ends[0])), let last = IPAddress(String(ends[1])),
                    first.isV4, last.isV4
                else {
                    throw LedgerError(
                        .invalidInput, "bad \(role) '\(text)': a range is FIRST-LAST with two IPv4 addresses")
                }
                let (a, b) = (integer(first.bytes), integer(last.bytes))
                guard a <= b else {
                    throw LedgerError(.invalidInput, "bad \(role) '\(text)': the range runs backwards")
                }
                out.append(a...b)
                continue
            }
            let network: IPNetwork
            do { network = try IPNetwork(cidr: text) } catch let e as LedgerError {
                throw LedgerError(.invalidInput, "bad \(role): \(e.message)")
            }
            guard network.network.isV4 else {
                throw LedgerError(
                    .invalidInput, "bad \(role) '\(text)': IPv6 sweeps are not supported; name IPv4 subnets")
            }
            let base = integer(network.network.bytes)
            let size: UInt64 = 1 << UInt64(32 - network.prefixLength)
            var range = base...UInt32(UInt64(base) + size - 1)
            if trimEdges, network.prefixLength <= 30 { range = (range.lowerBound + 1)...(range.upperBound - 1) }
            out.append(range)
        }
        return out
    }

    static let reserved: [(name: String, range: ClosedRange<UInt32>)] = [
        ("0.0.0.0/8 (this network)", 0x0000_0000...0x00FF_FFFF),
        ("127.0.0.0/8 (loopback)", 0x7F00_0000...0x7FFF_FFFF),
        ("224.0.0.0/4 (multicast)", 0xE000_0000...0xEFFF_FFFF),
        ("240.0.0.0/4 (reserved, and the broadcast address)", 0xF000_0000...0xFFFF_FFFF),
    ]

    static func merge(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var out: [ClosedRange<UInt32>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = out.last, UInt64(range.lowerBound) <= UInt64(last.upperBound) + 1 {
                out[out.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                out.append(range)
            }
        }
        return out
    }

    /// `wanted` minus `excluded`, both sorted and disjoint.
    static func subtract(_ wanted: [ClosedRange<UInt32>], _ excluded: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var out: [ClosedRange<UInt32>] = []
        for range in wanted {
            var low = UInt64(range.lowerBound)
            let high = UInt64(range.upperBound)
            for cut in excluded where cut.overlaps(range) {
                if UInt64(cut.lowerBound) > low { out.append(UInt32(low)...UInt32(cut.lowerBound - 1)) }
                low = max(low, UInt64(cut.upperBound) + 1)
            }
            if low <= high { out.append(UInt32(low)...UInt32(high)) }
        }
        return out
    }

    static func integer(_ bytes: [UInt8]) -> UInt32 {
        bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }

    static func text(_ range: ClosedRange<UInt32>) -> String {
        range.lowerBound == range.upperBound
            ? "\(IPAddress(v4: range.lowerBound))"
            : "\(IPAddress(v4: range.lowerBound))-\(IPAddress(v4: range.upperBound))"
    }
}

/// The scope's addresses in a seeded pseudo-random order: a full-period linear congruential
/// sequence over the next power of two, skipping values beyond the scope (cycle walking). Each
/// address comes exactly once; state is two integers.
public struct ShuffledAddresses: Sequence, IteratorProtocol, Sendable {
    let scope: ScanScope
    let modulus: UInt64
    let multiplier: UInt64
    let increment: UInt64
    var state: UInt64
    var produced = 0

    init(scope: ScanScope, seed: UInt64) {
        self.scope = scope
        var m: UInt64 = 1
        while m < UInt64(scope.count) { m <<= 1 }
        modulus = m
        // Hull–Dobell: with m a power of two, c odd and a ≡ 1 (mod 4) the period is m.
        multiplier = (seed >> 7 & 0xFFFF) * 4 + 5
        increment = (seed >> 23 | 1) & (m * 2 - 1) | 1
        state = seed % m
    }

    public mutating func next() -> IPAddress? { nextIndex().map(scope.address(at:)) }

    /// The next address's index in ascending order (no allocation: the sweep's hot path).
    public mutating func nextIndex() -> Int? {
        guard produced < scope.count else { return nil }
        repeat {
            state = (state &* multiplier &+ increment) & (modulus - 1)
        } while state >= UInt64(scope.count)
        produced += 1
        return Int(state)
    }
}
