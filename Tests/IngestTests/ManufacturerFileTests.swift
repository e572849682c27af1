import Foundation
import TestSupport
import Testing

@testable import Ingest
@testable import LedgerModel

/// The shipped manufacturer dictionary, read from scanners/ in this repository.
func shippedManufacturers() throws -> ManufacturerDictionary {
    let url = Fixtures.scanners("manufacturers.tsv")
    return ManufacturerDictionary(entries: try ManufacturerFile.read(Fixtures.read(url), file: url.path))
}

/// scanners/manufacturers.tsv and scanners/domestic-targets.tsv: their readers' refusals, and the
/// shipped dictionary on every vendor string of the real corpus (agent inventories, the IEEE
/// registry) and on what a Chinese campus's devices say.
@Suite struct ManufacturerFileTests {
    static let header = ManufacturerFile.header.joined(separator: "\t")

    func refusal(_ lines: [String]) -> String? {
        let text = ([Self.header] + lines).joined(separator: "\n") + "\n"
        return reason { _ = try ManufacturerFile.read(Data(text.utf8), file: "m.tsv") }?.description
    }

    @Test func badLinesAreRefusedWithTheirLine() {
        let ok = "Lenovo\t联想\tyes\tmaker\tlenovo|lcfc\t\t"
        #expect(refusal([ok]) == nil)
        #expect(refusal([ok, "Lenovo\t联想2\tyes\tmaker\tlegend\t\t"]) == "m.tsv:3: maker 'Lenovo' is already on line 2")
        #expect(refusal(["HP\t惠普\tmaybe\tmaker\thp\t\t"]) == "m.tsv:2: domestic must be yes or no, got 'maybe'")
        #expect(refusal(["HP\t惠普\tno\tbrand\thp\t\t"])?.hasPrefix("m.tsv:2: unknown role 'brand'") == true)
        #expect(refusal(["HP\t惠普\tno\tmaker\thp||hewlett\t\t"]) == "m.tsv:2: empty alias in 'hp||hewlett'")
        #expect(refusal(["HP\t惠普\tno\tmaker\thp|--\t\t"]) == "m.tsv:2: alias '--' has no letter or digit")
        #expect(refusal(["HP\t惠普\tno\tmaker\thp\t(unclosed\t"]) == "m.tsv:2: bad pattern '(unclosed'")
        #expect(refusal(["\t惠普\tno\tmaker\thp\t\t"]) == "m.tsv:2: empty maker")
        // An alias two makers give (after folding case and punctuation) would depend on the order.
        #expect(
            refusal([ok, "Legend\t\tyes\tmaker\tLCFC\t\t"]) == "m.tsv:3: alias 'LCFC' already names Lenovo on line 2")
        #expect(
            refusal([ok, "Lenovo Mobile\t\tyes\tmaker\tLENOVO\t\t"])
                == "m.tsv:3: alias 'LENOVO' already names Lenovo on line 2")
        #expect(
            refusal(["Brother\t兄弟\tno\tmaker\tbrother|!Brother\t\t"])
                == "m.tsv:2: '!Brother' excludes an alias of the same maker")
        #expect(refusal(["HP\t惠普\tno\tmaker\thp\t"]) == "m.tsv:2: 6 tab-separated fields, expected 7")
        #expect(
            reason { _ = try ManufacturerFile.read(Data("maker\tdomestic\n".utf8), file: "m.tsv") }?.line == 1)
    }

    @Test func theShippedDictionaryReadsAndFlagsChineseMakersDomestic() throws {
        let d = try shippedManufacturers()
        #expect(d.entries.count > 120)
        #expect(d.entries.allSatisfy { !$0.manufacturer.nameZH.isEmpty })
        let domestic = [
            "Lenovo", "Huawei", "Inspur", "Sugon", "Tongfang", "Great Wall", "Hasee", "Haier", "Founder", "Hisense",
            "Pantum", "Deli", "H3C", "Ruijie", "TP-Link", "ZTE", "Sangfor", "Qi An Xin", "Hikvision", "Dahua",
            "Uniview", "Loongson", "Phytium", "Hygon", "Zhaoxin", "Kylin", "UOS", "AOC", "xFusion",
        ]
        let foreign = [
            "HP Inc.", "Hewlett Packard Enterprise", "Dell", "Epson", "Kyocera", "Brother", "Canon", "Ricoh",
            "Konica Minolta", "Fujifilm Business Innovation", "Xerox", "Sharp", "Toshiba", "Samsung", "Lexmark",
            "Cisco", "Apple", "Microsoft", "ASUS", "Acer", "MSI", "Supermicro", "VMware", "Intel", "Realtek",
            "Philips", "BenQ", "NEC", "Sony", "Panasonic", "Optoma", "ViewSonic", "Motorola Mobility",
        ]
        let byName = Dictionary(uniqueKeysWithValues: d.entries.map { ($0.manufacturer.name, $0.manufacturer) })
        for name in domestic { #expect(byName[name]?.domestic == true, "\(name)") }
        for name in foreign { #expect(byName[name]?.domestic == false, "\(name)") }
        #expect(byName["Loongson"]?.role == .component && byName["Kylin"]?.role == .software)
        #expect(byName["VMware"]?.role == .virtual && byName["Intel"]?.role == .component)
    }

    /// What SNMP, IPP, UPnP, PJLink, SMBIOS and the fingerprint rules say on a Chinese campus.
    @Test func campusVendorStringsNameTheirMaker() throws {
        let d = try shippedManufacturers()
        let expected: [String: String] = [
            "LENOVO": "Lenovo", "Lenovo": "Lenovo", "联想": "Lenovo", "联想(北京)有限公司": "Lenovo",
            "LCFC(HeFei) Electronics Technology co., ltd": "Lenovo", "Hewlett Packard": "HP Inc.",
            "HP Inc.": "HP Inc.", "HP": "HP Inc.", "Hewlett-Packard": "HP Inc.",
            "Hewlett-Packard Development Company, L.P.": "HP Inc.", "HPE": "Hewlett Packard Enterprise",
            "Hewlett Packard Enterprise": "Hewlett Packard Enterprise", "Seiko Epson Corporation": "Epson",
            "EPSON": "Epson", "Dell Inc.": "Dell", "Huawei Technologies Co.,Ltd": "Huawei", "HUAWEI": "Huawei",
            "华为技术有限公司": "Huawei", "Hangzhou Hikvision Digital Technology Co.,Ltd.": "Hikvision",
            "Inspur": "Inspur", "浪潮": "Inspur", "浪潮电子信息产业股份有限公司": "Inspur", "Sugon": "Sugon",
            "中科曙光": "Sugon", "同方": "Tongfang", "清华同方": "Tongfang", "Tongfang": "Tongfang",
            "长城": "Great Wall", "Great Wall": "Great Wall", "中国长城": "Great Wall", "奔图 Pantum": "Pantum",
            "Pantum": "Pantum", "得力 Deli": "Deli", "海信 Hisense": "Hisense", "Kyocera": "Kyocera",
            "KYOCERA Document Solutions Inc.": "Kyocera", "Brother": "Brother", "Canon": "Canon", "Ricoh": "Ricoh",
            "LANIER": "Ricoh", "SAVIN": "Ricoh", "Konica Minolta": "Konica Minolta",
            "KONICA MINOLTA": "Konica Minolta", "Fuji Xerox": "Fujifilm Business Innovation",
            "FUJIFILM Business Innovation Corp.": "Fujifilm Business Innovation",
            "富士施乐": "Fujifilm Business Innovation",
            "Xerox": "Xerox", "Sharp": "Sharp", "Toshiba": "Toshiba", "TOSHIBA TEC": "Toshiba TEC",
            "Samsung": "Samsung", "Lexmark": "Lexmark", "Cisco": "Cisco", "H3C": "H3C", "新华三": "H3C",
            "Ruijie 锐捷": "Ruijie", "锐捷网络": "Ruijie", "TP-Link": "TP-Link", "TP-LINK": "TP-Link",
            "ZTE 中兴": "ZTE", "中兴通讯股份有限公司": "ZTE", "Sangfor 深信服": "Sangfor", "深信服": "Sangfor",
            "Qi An Xin 奇安信": "Qi An Xin", "奇安信": "Qi An Xin", "QiAnXin": "Qi An Xin", "Apple": "Apple",
            "Microsoft": "Microsoft", "ASUS": "ASUS", "ASUSTeK COMPUTER INC.": "ASUS", "Acer": "Acer", "MSI": "MSI",
            "Micro-Star International Co., Ltd.": "MSI", "Supermicro": "Supermicro",
            "Super Micro Computer, Inc.": "Supermicro", "VMware": "VMware", "Intel": "Intel", "Realtek": "Realtek",
            "Philips": "Philips", "AOC": "AOC", "BenQ": "BenQ", "NEC": "NEC", "NEC Display Solutions": "NEC",
            "Sony": "Sony", "Panasonic": "Panasonic", "Optoma": "Optoma", "ViewSonic": "ViewSonic",
            "Dahua 大华": "Dahua", "浙江大华技术股份有限公司": "Dahua", "Uniview 宇视": "Uniview", "Tongfang 同方": "Tongfang",
            "Great Wall 长城": "Great Wall", "Hasee 神舟": "Hasee", "神舟电脑": "Hasee", "Haier 海尔": "Haier",
            "Founder 方正": "Founder", "Loongson 龙芯": "Loongson", "Loongson-3A5000": "Loongson",
            "Phytium 飞腾": "Phytium", "Hygon 海光": "Hygon", "HygonGenuine": "Hygon", "Zhaoxin 兆芯": "Zhaoxin",
            "Kylin": "Kylin", "银河麒麟": "Kylin", "UOS": "UOS", "统信软件技术有限公司": "UOS",
        ]
        for (raw, maker) in expected { #expect(d.canonical(raw)?.name == maker, "\(raw)") }
        // Not these makers: other companies whose names begin alike, and placeholders.
        let notMatched: [String: String?] = [
            "HPC Systems Inc.": nil, "Lenovation": nil, "Intelbras": nil, "DellKing Industrial Co., Ltd": nil,
            "ZTEC Instruments, Inc.": nil, "KYLINK Communications Corp.": nil, "Brother, Brother & Sons ApS": nil,
            "NRG SYSTEMS INC": nil, "START USA, INC.": nil, "Juniper Systems": nil, "MERCURY CORPORATION": nil,
            "Packard Bell Nec Services": nil, "To be filled by O.E.M.": nil, "System manufacturer": nil,
            "Default string": nil, "OEM": nil, "Micro-Biz intelligence solutions Co.,Ltd": nil,
            "Motorola Mobility LLC, a Lenovo Company": "Motorola Mobility",
            "Aruba, a Hewlett Packard Enterprise Company": "Hewlett Packard Enterprise",
            "Toshiba TEC Corporation Inc": "Toshiba TEC", "Fujifilm Corporation": "Fujifilm",
        ]
        for (raw, maker) in notMatched { #expect(d.canonical(raw)?.name == maker, "\(raw)") }
    }

    /// Every vendor and manufacturer string the real agent inventories carry (the machine's
    /// identity and each component's manufacturer field) maps to exactly the maker listed here.
    @Test func everyAgentFixtureVendorStringMapsToTheExpectedMaker() throws {
        let d = try shippedManufacturers()
        var found = Set<String>()
        for (path, _) in agentFixtureFormats {
            let f = try agentFixture(path)
            if case .endpoint(let report) = try InventoryReaders.read(f.data, file: f.path),
                let vendor = report.identity.vendor
            {
                found.insert(vendor)
            }
            let text = String(decoding: f.data, as: UTF8.self)
            let fields = try NSRegularExpression(
                pattern:
                    #"<(?:SMANUFACTURER|MMANUFACTURER|BMANUFACTURER|MANUFACTURER|manufacturer)>([^<]+)<|"(?:smanufacturer|mmanufacturer|bmanufacturer|manufacturer|hardware_vendor)"\s*:\s*"([^"]+)""#
            )
            for m in fields.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                for g in 1...2 {
                    guard let r = Range(m.range(at: g), in: text) else { continue }
                    let value = text[r].replacingOccurrences(of: "&apos;", with: "'")
                        .trimmingCharacters(in: .whitespaces)
                    if !value.isEmpty { found.insert(value) }
                }
            }
        }
        let expected: [String: String?] = [
            // The machines (identity.vendor): makers and hypervisors.
            "Dell Inc.": "Dell", "Hewlett-Packard": "HP Inc.", "LENOVO": "Lenovo", "TOSHIBA": "Toshiba",
            "Microsoft Corporation": "Microsoft", "Microsoft": "Microsoft", "innotek GmbH": "VirtualBox",
            "innotek": "VirtualBox", "InnoTek Systemberatung GmbH": "VirtualBox", "VMware": "VMware",
            "VMware, Inc.": "VMware", "Xen": "Xen", "XenSource, Inc.": "Xen", "Oracle Corporation": "Oracle",
            // Components.
            "Intel": "Intel", "Intel Corp.": "Intel", "Intel Corporation": "Intel", "GenuineIntel": "Intel",
            "Intel Corporation 8 Series HD Audio Controller": "Intel",
            "Intel Corporation 82801AA AC'97 Audio Controller": "Intel",
            "Intel Corporation Haswell-ULT HD Audio Controller": "Intel",
            "Intel Corporation Sunrise Point-LP HD Audio": "Intel",
            "Intel Corporation Xeon E3-1200 v3/4th Gen Core Processor HD Audio Controller": "Intel", "AMD": "AMD",
            "Advanced Micro Devices": "AMD", "ATI Technologies Inc.": "AMD", "Broadcom": "Broadcom",
            "Broadcom / LSI": "Broadcom", "Realtek": "Realtek", "Realtek Semiconductor Co., Ltd.": "Realtek",
            "Realtek Semiconductor Corp.": "Realtek", "Chicony Electronics Co., Ltd": "Chicony",
            "Synaptics": "Synaptics", "Samsung": "Samsung", "Samsung Electronics Co Ltd": "Samsung",
            "Sharp Corporation": "Sharp", "Toshiba": "Toshiba", "Ricoh Co Ltd": "Ricoh", "Logitech, Inc.": "Logitech",
            // No maker the dictionary knows: placeholders, memory and chip makers not listed.
            "(Standard CD-ROM drives)": nil, "(Standard disk drives)": nil, "(Standard monitor types)": nil,
            "(Standard system devices)": nil, "33-24": nil, "Batt Manufacture": nil, "CMN": nil,
            "Cirrus Logic": nil, "Creative Labs": nil, "Crucial_CT512MX100SSD1": nil, "Elpida": nil, "Ensoniq": nil,
            "Genesys Logic, Inc.": nil, "IDT": nil, "IVM": nil, "LSI": nil, "Linux Foundation": nil, "Micron": nil,
            "O2 Micro, Inc.": nil, "Phoenix Technologies LTD": nil, "Pixart Imaging, Inc.": nil,
            "Primax Electronics, Ltd": nil, "SMP": nil, "SanDisk": nil, "Standard Microsystems Corp.": nil,
            "VBOX": nil, "VBOX HARDDISK": nil, "VBOXHARDDISK": nil, "VBX": nil, "VIA Labs, Inc.": nil,
            "Validity Sensors, Inc.": nil,
        ]
        #expect(found.subtracting(expected.keys).sorted() == [], "strings the table does not list")
        #expect(Set(expected.keys).subtracting(found).sorted() == [], "listed strings no fixture has")
        for raw in found {
            #expect(d.canonical(raw)?.name == expected[raw] ?? nil, "\(raw)")
        }
    }

    /// The IEEE registry (Debian's ieee-data): for every maker the legalization issue names, the
    /// registry names the dictionary maps to it are exactly those reviewed in
    /// fixtures/manufacturers/oui-expected.tsv, no more and no fewer.
    @Test func theRegistryNamesOfTheListedMakersMapExactly() throws {
        let d = try shippedManufacturers()
        let registry = try Fixtures.text(URL(fileURLWithPath: "/usr/share/ieee-data/oui.txt"))
        var names = Set<String>()
        for line in registry.components(separatedBy: .newlines) where line.contains("(hex)") {
            names.insert(line.components(separatedBy: "(hex)")[1].trimmingCharacters(in: .whitespaces))
        }
        #expect(names.count > 10_000)
        var expected: [String: Set<String>] = [:]
        for line in try Fixtures.text(Fixtures.file("fixtures/manufacturers/oui-expected.tsv"))
            .components(separatedBy: "\n") where !line.isEmpty && !line.hasPrefix("#")
        {
            let f = line.components(separatedBy: "\t")
            expected[f[0], default: []].insert(f[1])
        }
        #expect(expected["Lenovo"]?.contains("LCFC(HeFei) Electronics Technology co., ltd") == true)
        var actual: [String: Set<String>] = [:]
        for n in names {
            if let m = d.canonical(n), expected[m.name] != nil { actual[m.name, default: []].insert(n) }
        }
        for maker in expected.keys.sorted() {
            let a = actual[maker] ?? []
            let e = expected[maker]!
            #expect(a.subtracting(e).sorted() == [], "\(maker): mapped but not expected")
            #expect(e.subtracting(a).sorted() == [], "\(maker): expected but not mapped")
        }
    }

    func targetRefusal(_ lines: [String]) -> String? {
        let text = ([DomesticTargetsFile.header.joined(separator: "\t")] + lines).joined(separator: "\n") + "\n"
        return reason { _ = try DomesticTargetsFile.read(Data(text.utf8), file: "t.tsv") }?.description
    }

    @Test func targetsAreReadAndBadOnesRefused() throws {
        let url = Fixtures.scanners("domestic-targets.tsv")
        let shipped = DomesticTargets(try DomesticTargetsFile.read(Fixtures.read(url), file: url.path))
        #expect(shipped.target(.spend, "all", year: 2026)?.share == 0.5)
        #expect(shipped.target(.spend, "all", year: 2030)?.share == 0.6)  // 2027's holds on
        #expect(shipped.target(.spend, "all", year: 2025) == nil)
        #expect(targetRefusal(["installs\toffice\t2026\t72.5%\t"]) == nil)
        #expect(
            targetRefusal(["install\toffice\t2026\t50%\t"])?.hasPrefix("t.tsv:2: unknown measure 'install'") == true)
        #expect(
            targetRefusal(["installs\tpc\t2026\t50%\t"])?.hasPrefix("t.tsv:2: unknown category 'pc' for installs")
                == true)
        #expect(
            targetRefusal(["devices\toffice\t2026\t50%\t"])?.hasPrefix("t.tsv:2: unknown category 'office'") == true)
        #expect(targetRefusal(["installs\tother\t2026\t50%\t"])?.hasPrefix("t.tsv:2: unknown category 'other'") == true)
        #expect(targetRefusal(["spend\tall\t26\t50%\t"]) == "t.tsv:2: from_year '26' is not a year 2000...2100")
        #expect(targetRefusal(["spend\tall\t2026\t0.5\t"]) == "t.tsv:2: target '0.5' is not a percentage 0%...100%")
        #expect(targetRefusal(["spend\tall\t2026\t120%\t"]) == "t.tsv:2: target '120%' is not a percentage 0%...100%")
        #expect(targetRefusal(["spend\tall\t2026\t-5%\t"]) == "t.tsv:2: target '-5%' is not a percentage 0%...100%")
        #expect(
            targetRefusal(["spend\tall\t2026\t50%\t", "spend\tall\t2026\t60%\t"])
                == "t.tsv:3: spend all from 2026 is already on line 2")
    }
}
