import Foundation
import Testing

@testable import LedgerModel

@Suite struct IdentifiersTests {
    @Test func macsNormalizeFromEveryCommonSpelling() {
        for raw in ["3C:D9:2B:11:22:33", "3c-d9-2b-11-22-33", "3cd9.2b11.2233", "3CD92B112233"] {
            #expect(Identifiers.normalizeMAC(raw) == "3c:d9:2b:11:22:33")
        }
        #expect(Identifiers.normalizeMAC("3c:d9:2b:11:22") == nil)
        #expect(Identifiers.normalizeMAC("zz:d9:2b:11:22:33") == nil)
    }

    @Test func macsThatRepeatAcrossMachinesAreNotIdentities() {
        #expect(Identifiers.macRejection("3c:d9:2b:11:22:33") == nil)
        #expect(Identifiers.macRejection("02:42:ac:11:00:02") == "locally administered")
        #expect(Identifiers.macRejection("01:00:5e:00:00:fb") == "multicast or broadcast")
        #expect(Identifiers.macRejection("ff:ff:ff:ff:ff:ff") == "multicast or broadcast")
        #expect(Identifiers.macRejection("00:50:56:aa:bb:cc") == "virtual adapter prefix")
        #expect(Identifiers.macRejection("08:00:27:aa:bb:cc") == "virtual adapter prefix")
        #expect(Identifiers.macRejection("00:15:5d:01:02:03") == "virtual adapter prefix")
    }

    @Test func placeholderSerialsAreRefused() {
        for junk in [
            "", "0", "To be filled by O.E.M.", "1234567", "Default string", "System Serial Number", "00000000", "NONE",
            "abc",
        ] {
            #expect(Identifiers.serialRejection(junk) != nil, "\(junk) should be refused")
        }
        for good in ["PHBBK12345", "7XK2Q33", "PC0ABCDE", "CND1234XYZ"] {
            #expect(Identifiers.serialRejection(good) == nil, "\(good) should be accepted")
        }
    }

    @Test func uuidsNormalizeAndPlaceholdersAreRefused() {
        #expect(
            Identifiers.normalizeUUID("{8a7b6c5d-1234-11e9-8000-54e1ad102030}")
                == "8A7B6C5D-1234-11E9-8000-54E1AD102030")
        #expect(Identifiers.normalizeUUID("8A7B6C5D123411E9800054E1AD102030") == "8A7B6C5D-1234-11E9-8000-54E1AD102030")
        #expect(Identifiers.normalizeUUID("not-a-uuid") == nil)
        #expect(Identifiers.uuidRejection("03000200-0400-0500-0006-000700080009") != nil)
        #expect(Identifiers.uuidRejection("FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF") != nil)
        #expect(Identifiers.uuidRejection("8A7B6C5D-1234-11E9-8000-54E1AD102030") == nil)
    }

    @Test func hostnameKeyIsTheFirstLabelAndSkipsSharedNames() {
        #expect(Identifiers.hostnameKey("cw-pc-01.campus.edu.cn") == "cw-pc-01")
        #expect(Identifiers.hostnameKey("cw-pc-01") == "cw-pc-01")
        #expect(Identifiers.hostnameKey("localhost") == nil)
        #expect(Identifiers.hostnameKey("198") == nil)
        // Placeholders agents put instead of a name (SNMP recordings say `<private>`).
        #expect(Identifiers.hostnameKey("<private>") == nil && Identifiers.hostnameKey("private") == nil)
        #expect(Identifiers.normalizeHostname(" CW-PC-01. ") == "cw-pc-01")
    }
}

@Suite struct OwnershipTests {
    func map() throws -> OwnershipMap {
        OwnershipMap(
            subnets: [
                SubnetRule(network: try IPNetwork(cidr: "198.18.0.0/16"), departmentCode: "XXZX"),
                SubnetRule(network: try IPNetwork(cidr: "198.18.30.0/24"), departmentCode: "JYXY"),
                SubnetRule(network: try IPNetwork(cidr: "198.18.30.128/25"), departmentCode: "JYXY-JYS"),
                SubnetRule(network: try IPNetwork(cidr: "2001:db8:10::/48"), departmentCode: "DZB"),
            ],
            hostnames: [
                HostnameRule(pattern: "cw-*", departmentCode: "CWC"),
                HostnameRule(pattern: "cw-pc-0?", departmentCode: "CWC2"),
            ])
    }

    @Test func longestPrefixWins() throws {
        let m = try map()
        #expect(m.owner(hostnames: [], ips: ["198.18.30.200"])?.departmentCode == "JYXY-JYS")
        #expect(m.owner(hostnames: [], ips: ["198.18.30.5"])?.departmentCode == "JYXY")
        #expect(m.owner(hostnames: [], ips: ["198.18.99.5"])?.departmentCode == "XXZX")
        #expect(m.owner(hostnames: [], ips: ["203.0.113.5"]) == nil)
    }

    @Test func ipv6SubnetsMatchAndDoNotMixWithIPv4() throws {
        let m = try map()
        #expect(m.owner(hostnames: [], ips: ["2001:db8:10:5::20"])?.departmentCode == "DZB")
        #expect(m.owner(hostnames: [], ips: ["2001:db8:11::1"]) == nil)
        #expect(m.owner(hostnames: [], ips: ["::ffff:198.18.30.5"])?.departmentCode == "JYXY")  // IPv4-mapped
    }

    @Test func hostnameRuleBeatsSubnetAndTheMostSpecificPatternWins() throws {
        let m = try map()
        let byName = m.owner(hostnames: ["cw-laptop"], ips: ["198.18.30.200"])
        #expect(byName == Ownership(departmentCode: "CWC", rule: .hostname, detail: "cw-*"))
        #expect(m.owner(hostnames: ["CW-PC-01.campus.edu"], ips: [])?.departmentCode == "CWC2")
    }

    @Test func cidrParsingRefusesBadInput() throws {
        #expect(try IPNetwork(cidr: "198.18.10.0/24").description == "198.18.10.0/24")
        #expect(try IPNetwork(cidr: "2001:DB8::/32").description == "2001:db8::/32")
        #expect(try IPNetwork(cidr: "198.18.10.7").prefixLength == 32)
        for bad in [
            "198.18.10.0/33", "198.18.10.3/24", "198.18.300.0/24", "banana", "10.0.0.0/-1", "::/129", "1.2.3.0/24/1",
        ] {
            #expect(throws: LedgerError.self, "\(bad)") { try IPNetwork(cidr: bad) }
        }
    }
}

@Suite struct DepartmentTreeTests {
    func entry(_ line: Int, _ code: String, parent: String? = nil) -> DepartmentTree.Entry {
        .init(line: line, department: Department(code: code, name: code, kind: .college, parentCode: parent))
    }

    @Test func parentsMayComeLaterInTheFile() throws {
        try DepartmentTree.validate(existing: [], incoming: [entry(2, "A", parent: "B"), entry(3, "B")], file: "f.csv")
    }

    @Test func unknownParentNamesTheLine() {
        #expect(throws: InputError(file: "f.csv", line: 3, reason: "unknown parent department 'ZZ'")) {
            try DepartmentTree.validate(
                existing: [], incoming: [entry(2, "A"), entry(3, "B", parent: "ZZ")], file: "f.csv")
        }
    }

    @Test func cycleInFileOrThroughTheLedgerIsRefused() {
        #expect(throws: InputError.self) {
            try DepartmentTree.validate(
                existing: [], incoming: [entry(2, "A", parent: "B"), entry(3, "B", parent: "A")], file: "f.csv")
        }
        // The ledger has B under A; the file now puts A under B.
        let existing = [
            Department(code: "A", name: "A", kind: .college),
            Department(code: "B", name: "B", kind: .college, parentCode: "A"),
        ]
        do {
            try DepartmentTree.validate(existing: existing, incoming: [entry(5, "A", parent: "B")], file: "f.csv")
            Issue.record("cycle not detected")
        } catch let e as InputError {
            #expect(e.line == 5)
            #expect(e.reason.contains("cycle"))
        } catch { Issue.record("\(error)") }
    }

    @Test func duplicateCodeNamesBothLines() {
        #expect(throws: InputError(file: "f.csv", line: 4, reason: "duplicate department code 'A' (first on line 2)")) {
            try DepartmentTree.validate(existing: [], incoming: [entry(2, "A"), entry(4, "A")], file: "f.csv")
        }
    }

    @Test func parentsFirstOrdersTheTree() {
        let out = DepartmentTree.parentsFirst([
            Department(code: "C", name: "C", kind: .college, parentCode: "B"),
            Department(code: "B", name: "B", kind: .college, parentCode: "A"),
            Department(code: "A", name: "A", kind: .college),
        ])
        #expect(out.map(\.code) == ["A", "B", "C"])
    }
}

@Suite struct DeviceFactsTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func newerValuesReplaceOlderOnesOnlyFillGapsAndNothingErases() {
        var facts = DeviceFacts()
        _ = facts.apply(Observation(source: .scan, observedAt: t0, vendor: "HP", os: "Windows 10"), isNewest: true)
        let older = facts.apply(
            Observation(source: .agent, observedAt: t0 - 100, model: "ProDesk 400", os: "Windows 7"), isNewest: false)
        #expect(facts.os == "Windows 10")
        #expect(facts.model == "ProDesk 400")
        #expect(older == [FieldChange(field: .model, old: nil, new: "ProDesk 400")])
        let partial = facts.apply(Observation(source: .scan, observedAt: t0 + 100), isNewest: true)
        #expect(partial.isEmpty)
        #expect(facts.vendor == "HP")
    }

    @Test func pinnedFieldsChangeOnlyByHand() {
        var facts = DeviceFacts()
        _ = facts.apply(Observation(source: .manual, observedAt: t0, model: "Typed"), isNewest: true)
        let scan = facts.apply(
            Observation(source: .scan, observedAt: t0 + 1, model: "Guess"), isNewest: true, pinned: [.model])
        #expect(scan.isEmpty)
        #expect(facts.model == "Typed")
    }

    @Test func unknownClassNeverOverwritesAKnownOne() {
        var facts = DeviceFacts()
        _ = facts.apply(Observation(source: .scan, observedAt: t0, deviceClass: .printer), isNewest: true)
        _ = facts.apply(Observation(source: .scan, observedAt: t0 + 1, deviceClass: .unknown), isNewest: true)
        #expect(facts.deviceClass == .printer)
    }
}
