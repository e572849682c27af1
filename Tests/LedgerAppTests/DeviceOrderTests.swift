import Foundation
import LedgerModel
import Testing

@testable import LedgerApp
@testable import LedgerStore

/// A device list's order (`DeviceOrder`): the page the store sorts in SQL and the list sorted in
/// Swift (search, `device list`, exports) agree for every key and direction.
@Suite struct DeviceOrderTests {
    /// Devices with host names in both cases, in Chinese and missing; addresses in two
    /// departments' subnets, outside any, IPv6 and none; vendors, models and classes mixed.
    func campus() throws -> LedgerService {
        let s = try campusService()
        let rows: [(String?, String?, String?, String, DeviceClass)] = [
            ("beta", "HP", "M428", "198.18.10.40", .printer), ("alpha", "Canon", nil, "198.18.10.5", .mfp),
            ("ALPHA", "canon", "iR-ADV", "198.18.11.9", .printer), (nil, nil, nil, "198.18.50.1", .unknown),
            ("打印机", "Brother", "HL-L2350", "198.18.10.100", .printer), ("Zeta", "hp", "m428", "2001:db8::1", .pc),
            ("gamma", "Lenovo", "ThinkCentre", "", .pc), ("delta", "HP", "M428", "198.18.11.10", .fax),
        ]
        for (i, r) in rows.enumerated() {
            var o = seen(Double(10 - i), mac: "3c:d9:2b:00:05:" + String(format: "%02x", i), ip: r.3, cls: r.4)
            o.ips = r.3.isEmpty ? [] : [r.3]
            o.hostnames = r.0.map { [$0] } ?? []
            o.vendor = r.1
            o.model = r.2
            try device(s, o)
        }
        return s
    }

    @Test func theStoresPagesAndTheSwiftSortAgreeForEveryOrder() throws {
        let s = try campus()
        for word in DeviceOrder.words {
            let order = try #require(DeviceOrder(word: word))
            for scope in [DeviceScope.everything, .departments(["DZB"])] {
                let listed = try s.listDevices(DeviceQuery(order: order), scope: scope)
                var paged: [DeviceOutput] = []
                for page in 1...4 {
                    paged += try s.listDevicePage(DeviceQuery(order: order), scope: scope, page: page, size: 3).devices
                }
                #expect(paged == listed, "\(word) \(scope)")
                #expect(Set(listed.map(\.id)) == Set(try s.listDevices(scope: scope).map(\.id)))
                // A search pages the sorted list the same way.
                let searched = try s.listDevicePage(
                    DeviceQuery(text: "198.18", order: order), scope: scope, page: 1, size: 50)
                #expect(searched.devices == listed.filter { $0.ips.contains { $0.hasPrefix("198.18") } }, "\(word)")
            }
        }
    }

    @Test func textSortsWithoutCaseMissingValuesLastEitherWay() throws {
        let s = try campus()
        func hostnames(_ word: String) throws -> [String?] {
            try s.listDevices(DeviceQuery(order: try #require(DeviceOrder(word: word))), scope: .everything).map(
                \.hostname)
        }
        // Host names are stored lower-cased: the two alphas tie and go by id; no name is last.
        #expect(try hostnames("hostname") == ["alpha", "alpha", "beta", "delta", "gamma", "zeta", "打印机", nil])
        #expect(try hostnames("-hostname") == ["打印机", "zeta", "gamma", "delta", "beta", "alpha", "alpha", nil])
        // Models keep their case and sort without it: M428, m428, M428 tie and go by id.
        let models = try s.listDevices(DeviceQuery(order: .init(.model)), scope: .everything)
        #expect(models.map(\.model) == ["HL-L2350", "iR-ADV", "M428", "m428", "M428", "ThinkCentre", nil, nil])
        #expect(models.filter { $0.model?.lowercased() == "m428" }.map(\.id) == [1, 6, 8])
        let down = try s.listDevices(DeviceQuery(order: .init(.model, descending: true)), scope: .everything)
        #expect(down.map(\.model) == ["ThinkCentre", "M428", "m428", "M428", "iR-ADV", "HL-L2350", nil, nil])
        #expect(down.suffix(2).map(\.id) == [4, 2])
        let vendors = try s.listDevices(DeviceQuery(order: .init(.vendor)), scope: .everything).map(\.vendor)
        #expect(vendors.last == .some(nil) && vendors.dropLast().allSatisfy { $0 != nil })
    }

    @Test func addressesSortAsNumbersIPv4First() throws {
        let s = try campus()
        let ips = try s.listDevices(DeviceQuery(order: .init(.ip)), scope: .everything).map { $0.ips.first }
        // 198.18.10.5 before .40 before .100 (as text, .100 would come first); no address last.
        #expect(
            ips == [
                "198.18.10.5", "198.18.10.40", "198.18.10.100", "198.18.11.9", "198.18.11.10", "198.18.50.1",
                "2001:db8::1", nil,
            ])
        let down = try s.listDevices(DeviceQuery(order: .init(.ip, descending: true)), scope: .everything)
        #expect(down.map { $0.ips.first } == Array(ips.dropLast().reversed()) + [nil])
    }

    @Test func onlyTheKeysAndOneDashAreOrders() {
        #expect(DeviceOrder(word: "last_seen") == DeviceOrder(.lastSeen))
        #expect(DeviceOrder(word: "-class") == DeviceOrder(.deviceClass, descending: true))
        for word in ["", "-", "--id", "Hostname", "ip-", "lastSeen", "id ", "+id", "hostname,ip"] {
            #expect(DeviceOrder(word: word) == nil, "\(word)")
        }
        #expect(DeviceOrder.words.count == 16 && DeviceOrder.words.allSatisfy { DeviceOrder(word: $0)?.word == $0 })
    }
}
