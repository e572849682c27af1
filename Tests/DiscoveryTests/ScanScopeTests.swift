import LedgerModel
import Testing

@testable import Discovery

@Suite struct ScanScopeTests {
    @Test func aScanWithoutScopeIsRefused() {
        #expect(throws: LedgerError.self) { try ScanScope(targets: []) }
        #expect(throws: LedgerError.self) { try ScanScope(targets: [" , "]) }
    }

    @Test func aSubnetLosesItsNetworkAndBroadcastAddresses() throws {
        let scope = try ScanScope(targets: ["198.18.0.0/24"])
        #expect(scope.count == 254)
        #expect(scope.address(at: 0).description == "198.18.0.1")
        #expect(scope.address(at: 253).description == "198.18.0.254")
        #expect(!scope.contains(IPAddress("198.18.0.255")!))
        let single = try ScanScope(targets: ["198.18.0.9/32", "198.18.0.20/31"])
        #expect(single.ascending.map(\.description) == ["198.18.0.9", "198.18.0.20", "198.18.0.21"])
    }

    @Test func exclusionsAreHonouredWhereverTheyFall() throws {
        let scope = try ScanScope(
            targets: ["198.18.0.0/24, 198.18.1.1-198.18.1.10"],
            exclusions: ["198.18.0.0/25", "198.18.1.5", "198.18.0.200-198.18.1.2"])
        #expect(scope.description == "198.18.0.128-198.18.0.199,198.18.1.3-198.18.1.4,198.18.1.6-198.18.1.10")
        #expect(scope.count == 72 + 2 + 5)
        #expect(!scope.contains(IPAddress("198.18.1.5")!))
        #expect(scope.contains(IPAddress("198.18.1.6")!))
        #expect(throws: LedgerError.self) { try ScanScope(targets: ["198.18.0.7"], exclusions: ["198.18.0.0/24"]) }
    }

    @Test func overlappingTargetsAreScannedOnce() throws {
        let scope = try ScanScope(targets: ["198.18.0.0/24", "198.18.0.10-198.18.0.20", "198.18.0.5"])
        #expect(scope.count == 254)
    }

    @Test func reservedAndOversizedScopesAreRefusedWithTheReason() {
        for bad in ["127.0.0.1", "224.0.0.251", "255.255.255.255", "0.0.0.0/0", "240.0.0.1-240.0.0.9"] {
            #expect(throws: LedgerError.self, "\(bad)") { try ScanScope(targets: [bad]) }
        }
        do {
            _ = try ScanScope(targets: ["10.0.0.0/8"])
            Issue.record("a /8 must be refused")
        } catch let e as LedgerError {
            #expect(e.message.contains("16777214") && e.message.contains("--max-hosts"))
        } catch { Issue.record("\(error)") }
        #expect((try? ScanScope(targets: ["198.18.0.0/15"], maximumHosts: 131_072))?.count == 131_070)
    }

    @Test func badItemsNameWhatIsWrong() {
        let cases = [
            "198.18.0.1/24": "host bits", "198.18.0.9-198.18.0.1": "backwards", "2001:db8::/64": "IPv6",
            "printer.local": "not an IPv4", "198.18.0.1-": "FIRST-LAST",
        ]
        for (text, words) in cases {
            do {
                _ = try ScanScope(targets: [text])
                Issue.record("\(text) must be refused")
            } catch let e as LedgerError {
                #expect(e.message.contains(words), "\(text): \(e.message)")
            } catch { Issue.record("\(error)") }
        }
    }

    @Test(arguments: [1, 2, 3, 254, 1000, 4097])
    func theShuffledOrderVisitsEveryAddressExactlyOnce(size: Int) throws {
        let scope = try ScanScope(targets: ["198.18.0.1-\(IPAddress(v4: 0xC612_0000 + UInt32(size)))"])
        #expect(scope.count == size)
        let seen = Array(scope.shuffled(seed: 0xDEAD_BEEF))
        #expect(seen.count == size)
        #expect(Set(seen).count == size)
        #expect(seen.allSatisfy(scope.contains))
        if size >= 254 {
            #expect(seen != scope.ascending, "the order is shuffled")
            #expect(Array(scope.shuffled(seed: 1)) != seen, "the seed changes the order")
        }
    }
}

@Suite struct ScanPolicyTests {
    @Test func portsParseLikeNmap() throws {
        #expect(try PortList("22,80,8000-8002, 80").ports == [22, 80, 8000, 8001, 8002])
        #expect(try PortList("default").ports == PortList.defaultPorts)
        #expect(PortList.standard.ports.contains(9100) && PortList.standard.ports.count >= 23)
        for bad in ["", "0", "70000", "90-80", "http", "1-2-3"] {
            #expect(throws: LedgerError.self, "\(bad)") { try PortList(bad) }
        }
    }

    @Test func theDryRunEstimateCountsRetriesAndRate() throws {
        var limits = ScanLimits()
        limits.retries = 1
        let (packets, seconds) = limits.estimate(hosts: 254, ports: 23)
        #expect(packets == 254 * 24 * 2)
        #expect(abs(seconds - 12.192) < 0.001)
        limits.packetsPerSecond = 0
        #expect(throws: LedgerError.self) { try limits.validated() }
        #expect(throws: LedgerError.self) {
            var l = ScanLimits()
            l.perHostPacketsPerSecond = 5000
            return try l.validated()
        }
    }

    @Test func theRateLimiterSpacesPacketsAndAllowsTheBurst() throws {
        var limiter = RateLimiter(rate: 1000, burst: 3)
        #expect(try limiter.take(now: 0) == 0)
        #expect(try limiter.take(now: 0) == 0)
        #expect(try limiter.take(now: 0) == 0)
        let wait = try limiter.take(now: 0)
        #expect(abs(wait - 0.001) < 1e-9)
        // Simulated sending: 10,000 packets at 1,000/s take ten seconds, whatever the burst.
        var clock = 0.001
        for _ in 0..<10_000 { clock += try limiter.take(now: clock) }
        #expect(abs(clock - 10.001) < 1e-6)
        // After a long pause only the burst is free again.
        clock += 60
        let free = try (0..<5).map { _ in try limiter.take(now: clock) }.filter { $0 == 0 }.count
        #expect(free == 3)
    }

    /// A stop asked for is seen within 64 packets, and every packet after it is refused.
    @Test func theRateLimiterRefusesPacketsOnceTheScanIsStopped() throws {
        let stop = ScanStop()
        var limiter = RateLimiter(rate: 1_000_000, burst: 1_000, stop: stop)
        for _ in 0..<100 { _ = try limiter.take(now: 0) }
        stop.request()
        var sent = 0
        let error = #expect(throws: ScanError.self) {
            for _ in 0..<100 {
                _ = try limiter.take(now: 0)
                sent += 1
            }
        }
        #expect(error?.code == .stopped && sent < 64)
        #expect(throws: ScanError.self) { try limiter.take(now: 1) }
        // A slow scan (every packet waits) sees it at the next packet.
        let slowStop = ScanStop()
        var slow = RateLimiter(rate: 5, burst: 1, stop: slowStop)
        for t in 0..<10 { _ = try slow.take(now: Double(t) * 0.2) }
        slowStop.request()
        #expect(throws: ScanError.self) { try slow.take(now: 1.8) }  // it would wait 0.2 s
        // Without a stop, or with one never asked for, nothing is refused.
        var free = RateLimiter(rate: 1_000_000, burst: 1_000, stop: ScanStop())
        for _ in 0..<1_000 { _ = try free.take(now: 0) }
    }
}

@Suite struct ScanScopeIndexTests {
    @Test func indexAndValueAreInverseAcrossIntervals() throws {
        let scope = try ScanScope(targets: ["198.18.0.10-198.18.0.12", "198.18.1.0/30", "198.18.2.7"])
        #expect(scope.count == 6)
        for i in 0..<scope.count {
            #expect(scope.index(of: scope.value(at: i)) == i)
            #expect(IPAddress(v4: scope.value(at: i)) == scope.address(at: i))
        }
        #expect(scope.index(of: IPAddress("198.18.0.13")!.v4Value) == nil)
        #expect(scope.index(of: IPAddress("198.18.2.7")!.v4Value) == 5)
        var order = scope.shuffled(seed: 99)
        var seen = Set<Int>()
        while let i = order.nextIndex() { seen.insert(i) }
        #expect(seen == Set(0..<6))
    }
}
