import Foundation
import Testing

@testable import LedgerModel

/// The dictionary's matching rules on entries written here (the shipped file is tested in
/// IngestTests/ManufacturerFileTests).
@Suite struct ManufacturerDictionaryTests {
    static func entry(
        _ name: String, _ zh: String, domestic: Bool, role: ManufacturerRole = .maker, _ aliases: [String],
        not exclusions: [String] = [], pattern: String? = nil
    ) -> ManufacturerEntry {
        ManufacturerEntry(
            manufacturer: Manufacturer(name: name, nameZH: zh, domestic: domestic, role: role), aliases: aliases,
            exclusions: exclusions,
            pattern: pattern.map { try! NSRegularExpression(pattern: $0, options: [.caseInsensitive]) })
    }

    static let dictionary = ManufacturerDictionary(entries: [
        entry("HP Inc.", "惠普", domestic: false, ["hp", "hewlett packard"]),
        entry("Hewlett Packard Enterprise", "慧与", domestic: false, ["hpe", "hewlett packard enterprise", "aruba"]),
        entry("Lenovo", "联想", domestic: true, ["lenovo", "lcfc"]),
        entry("Motorola Mobility", "摩托罗拉移动", domestic: false, ["motorola mobility"]),
        entry("Brother", "兄弟", domestic: false, ["brother", "brother industries"], not: ["brother brother"]),
        entry("MSI", "微星", domestic: false, ["msi", "micro star"]),
        entry("Fujifilm Business Innovation", "富士胶片商业创新", domestic: false, ["fuji xerox"]),
        entry("Xerox", "施乐", domestic: false, ["xerox"]),
        entry("Intel", "英特尔", domestic: false, role: .component, ["intel"]),
        entry("VMware", "威睿", domestic: false, role: .virtual, ["vmware"]),
        entry("Hikvision", "海康威视", domestic: true, ["hikvision", "hangzhou hikvision", "海康"]),
        entry("Tongfang", "同方", domestic: true, ["tongfang", "清华同方"], pattern: #"\bTHTF\b"#),
    ])

    func maker(_ raw: String?) -> String? { Self.dictionary.canonical(raw)?.name }

    @Test func rawStringsOfEverySourceMapToTheirMaker() {
        let expected: [String: String] = [
            "HP": "HP Inc.", "HP Inc.": "HP Inc.", "Hewlett-Packard": "HP Inc.", "HEWLETT PACKARD": "HP Inc.",
            "Hewlett Packard": "HP Inc.", "Hewlett-Packard Development Company, L.P.": "HP Inc.",
            "Hewlett Packard Enterprise": "Hewlett Packard Enterprise", "HPE": "Hewlett Packard Enterprise",
            "Aruba, a Hewlett Packard Enterprise Company": "Hewlett Packard Enterprise",
            "LENOVO": "Lenovo", "Lenovo (Beijing) Limited.": "Lenovo",
            "LCFC(HeFei) Electronics Technology co., ltd": "Lenovo", "联想(北京)有限公司": "Lenovo", "联想集团": "Lenovo",
            "Motorola Mobility LLC, a Lenovo Company": "Motorola Mobility",
            "Brother industries, LTD.": "Brother", "BROTHER": "Brother",
            "Micro-Star INT'L CO., LTD.": "MSI", "MSI": "MSI",
            "Fuji Xerox Co., Ltd.": "Fujifilm Business Innovation", "XEROX CORPORATION": "Xerox",
            "Intel Corporate": "Intel", "VMware, Inc.": "VMware",
            "Hangzhou Hikvision Digital Technology Co.,Ltd.": "Hikvision", "海康威视": "Hikvision",
            "ＬＥＮＯＶＯ": "Lenovo",  // full-width
            "  lenovo  ": "Lenovo",
            "清华同方": "Tongfang", "Shenzhen THTF Co.": "Tongfang",  // the pattern, maker not at the start
            "Lenovo联想": "Lenovo",
        ]
        for (raw, name) in expected { #expect(maker(raw) == name, "\(raw)") }
    }

    @Test func whatMustNotMatch() {
        // A short alias is a whole word: HP is not HPC Systems, MSI not MSIX, Intel not Intelbras.
        for raw in [
            "HPC Systems", "HPCL", "MSIX Packaging", "Intelbras", "Intelligent Systems", "Lenovation Ltd",
            "Brother, Brother & Sons ApS",  // the exclusion wins over the shorter alias
            "To be filled by O.E.M.", "System manufacturer", "Default string", "", "   ", "-",
            "Prama Hikvision India Private Limited",  // the maker not at the start, no pattern for it
            "HANGZHOU ZENOINTEL TECHNOLOGY CO., LTD",
        ] {
            #expect(maker(raw) == nil, "\(raw)")
        }
        #expect(maker(nil) == nil)
        // The longest alias wins, never the first listed.
        #expect(maker("Hewlett Packard Enterprise Development LP") == "Hewlett Packard Enterprise")
        #expect(maker("Fuji Xerox") != "Xerox")
    }

    @Test func theManufacturerCarriesItsFlags() throws {
        let lenovo = try #require(Self.dictionary.canonical("LCFC(Hefei) Electronics Technology Co., Ltd"))
        #expect(lenovo == Manufacturer(name: "Lenovo", nameZH: "联想", domestic: true, role: .maker))
        #expect(Self.dictionary.canonical("Intel Corporation")?.role == .component)
        #expect(Self.dictionary.canonical("VMware")?.role == .virtual)
        #expect(Self.dictionary.canonical("HP")?.domestic == false)
    }

    @Test func normalizationFoldsCaseWidthAndPunctuation() {
        #expect(ManufacturerDictionary.normalize("Micro-Star INT'L CO.,LTD.") == "micro star intl co ltd")
        #expect(ManufacturerDictionary.normalize("ＨＰ　Ｉｎｃ．") == "hp inc")
        #expect(ManufacturerDictionary.normalize("奔图Pantum") == "奔图 pantum")
        #expect(ManufacturerDictionary.normalize("联想（北京）") == "联想 北京")
        #expect(ManufacturerDictionary.normalize("TP-LINK") == "tp link")
        #expect(ManufacturerDictionary.normalize("...") == "")
    }

    @Test func virtualMachinesAreToldByTheirModel() {
        for model in [
            "Virtual Machine", "VMware Virtual Platform", "VMware7,1", "VirtualBox", "KVM", "HVM domU",
            "Standard PC (i440FX + PIIX, 1996)", "Alibaba Cloud ECS",
        ] {
            #expect(ManufacturerDictionary.isVirtualModel(model), "\(model)")
        }
        for model in ["ThinkPad T14", "KVM-0801 switch", "OptiPlex 7090", "", nil] {
            #expect(!ManufacturerDictionary.isVirtualModel(model), "\(model ?? "nil")")
        }
    }
}
