import Foundation
import Testing

@testable import LedgerModel

/// The pure share computation: what counts where, and what stays outside the share.
@Suite struct DomesticShareTests {
    static let wps = SoftwareProduct(
        product: "WPS Office", vendor: "金山办公", category: .office, license: .commercial, domestic: true)
    static let office = SoftwareProduct(
        product: "Microsoft Office", vendor: "Microsoft", category: .office, license: .commercial, domestic: false)
    static let runtime = SoftwareProduct(
        product: "Java runtime", vendor: "various", category: .other, license: .freeware, domestic: false)

    static func install(_ device: Int64, _ p: SoftwareProduct) -> PlacedInstall {
        PlacedInstall(
            device: device, department: "D",
            install: SoftwareInstall(product: p, edition: "", version: "", titles: [p.product]))
    }

    @Test func sharesLeaveUnknownAndVirtualOutside() throws {
        let dictionary = ManufacturerDictionary(entries: [
            ManufacturerDictionaryTests.entry("Lenovo", "联想", domestic: true, ["lenovo"]),
            ManufacturerDictionaryTests.entry("Dell", "戴尔", domestic: false, ["dell"]),
            ManufacturerDictionaryTests.entry("Intel", "英特尔", domestic: false, role: .component, ["intel"]),
            ManufacturerDictionaryTests.entry("VMware", "威睿", domestic: false, role: .virtual, ["vmware"]),
        ])
        let devices = [
            DomesticShare.Hardware(id: 1, deviceClass: .pc, vendor: "LENOVO"),
            DomesticShare.Hardware(id: 2, deviceClass: .pc, vendor: "Dell Inc."),
            DomesticShare.Hardware(id: 3, deviceClass: .pc, vendor: "Dell Inc."),
            DomesticShare.Hardware(id: 4, deviceClass: .pc, vendor: "Intel Corporate"),  // a NIC's maker: unknown
            DomesticShare.Hardware(id: 5, deviceClass: .pc, vendor: nil),
            DomesticShare.Hardware(id: 6, deviceClass: .server, vendor: "VMware, Inc."),
            DomesticShare.Hardware(
                id: 7, deviceClass: .server, vendor: "Microsoft Corporation", model: "Virtual Machine"),
        ]
        let targets = DomesticTargets([
            DomesticTarget(measure: .devices, category: "pc", fromYear: 2025, share: 0.3),
            DomesticTarget(measure: .devices, category: "pc", fromYear: 2027, share: 0.5),
        ])
        let rows = DomesticShare.evaluate(
            installs: [Self.install(1, Self.wps), Self.install(2, Self.office), Self.install(2, Self.runtime)],
            licences: [], devices: devices, dictionary: dictionary, targets: targets, year: 2026)
        let pc = try #require(rows.first { $0.measure == .devices && $0.category == "pc" })
        #expect([pc.domestic, pc.foreign, pc.unknown, pc.virtual] == [1, 2, 2, 0])
        #expect(pc.share == 1.0 / 3.0)
        #expect(pc.target?.share == 0.3 && pc.met == true)  // 2025's target holds in 2026
        #expect(pc.items.contains { $0.name == "Intel Corporate" && $0.status == .unknown && $0.nameZH == nil })
        #expect(pc.items.contains { $0.name == nil && $0.status == .unknown })
        let server = try #require(rows.first { $0.measure == .devices && $0.category == "server" })
        #expect(server.virtual == 2 && server.share == nil && server.met == nil)
        let office = try #require(rows.first { $0.measure == .installs && $0.category == "office" })
        #expect(office.domestic == 1 && office.foreign == 1 && office.share == 0.5)
        // Category other (runtimes) is never counted; the total has the two office installs.
        #expect(!rows.contains { $0.category == "other" && $0.measure == .installs })
        #expect(rows.first { $0.measure == .installs && $0.category == "all" }.map { $0.domestic + $0.foreign } == 2)
        // 2027's target from 2027 on.
        let later = DomesticShare.evaluate(
            installs: [], licences: [], devices: devices, dictionary: dictionary, targets: targets, year: 2027)
        #expect(later.first { $0.category == "pc" }?.met == false)
    }

    @Test func spendIsSummedInFenByYearOfValidFrom() throws {
        func licence(_ p: SoftwareProduct?, _ name: String, _ amount: String?, from: String?)
            -> DomesticShare.PricedLicence
        {
            DomesticShare.PricedLicence(
                entitlement: Entitlement(product: name, seats: 1, validFrom: from, amountCNY: amount), product: p)
        }
        let licences = [
            licence(Self.wps, "WPS Office", "0.1", from: "2025-03-01"),
            licence(Self.wps, "WPS Office", "0.2", from: "2025-09-01"),
            licence(Self.office, "Microsoft Office", "0.3", from: "2025-01-01"),
            licence(Self.office, "Microsoft Office", nil, from: "2025-01-01"),  // unpriced
            licence(nil, "Gone from the catalog", "5", from: "2025-01-01"),
            licence(Self.office, "Microsoft Office", "100", from: nil),  // undated
            licence(Self.wps, "WPS Office", "7", from: "2026-01-01"),
        ]
        let rows = DomesticShare.evaluate(
            installs: [], licences: licences, devices: [], dictionary: ManufacturerDictionary(entries: []),
            targets: DomesticTargets([]), year: 2026)
        let y2025 = try #require(rows.first { $0.measure == .spend && $0.category == "office" && $0.year == 2025 })
        #expect(y2025.domestic == 30 && y2025.foreign == 30 && y2025.unpriced == 1 && y2025.share == 0.5)
        let all2025 = try #require(rows.first { $0.measure == .spend && $0.category == "all" && $0.year == 2025 })
        #expect(all2025.unknown == 500 && all2025.domestic == 30)
        let undated = try #require(rows.first { $0.measure == .spend && $0.category == "office" && $0.year == nil })
        #expect(undated.foreign == 10_000 && undated.target == nil)
        #expect(rows.filter { $0.measure == .spend }.map(\.year).last == .some(nil))  // undated last
        // One year only.
        let only = DomesticShare.evaluate(
            installs: [], licences: licences, devices: [], dictionary: ManufacturerDictionary(entries: []),
            targets: DomesticTargets([]), year: 2026, spendYear: 2026)
        #expect(Set(only.filter { $0.measure == .spend }.map(\.year)) == [2026])
    }

    @Test func amountsAreReadExactly() {
        #expect(DomesticShare.fen("12800.00") == 1_280_000)
        #expect(DomesticShare.fen("8000.5") == 800_050)
        #expect(DomesticShare.fen("0.125") == 13)  // half up
        #expect(DomesticShare.fen("120000") == 12_000_000)
        for bad in ["", ".", "1.2.3", "-5", "1e3", "１２"] { #expect(DomesticShare.fen(bad) == nil, "\(bad)") }
    }
}
