import Foundation
import TestSupport
import Testing

@testable import Discovery
@testable import Ingest
@testable import LedgerModel

/// The shipped fingerprint rules, read from scanners/ in this repository.
func shippedFingerprints() throws -> [FingerprintRule] {
    let url = Fixtures.scanners("fingerprints.tsv")
    return try Fingerprints.read(Fixtures.read(url), file: url.path)
}

/// The labelled SNMP corpus (../shared/fixtures/snmprec/labels.tsv) classified by the shipped
/// fingerprint rules.
@Suite struct FingerprintTests {
    @Test func everyLabelledRecordingIsClassifiedAsLabelled() throws {
        let rules = try shippedFingerprints()
        let labels = try Fixtures.text(Fixtures.snmprec("labels.tsv"))
            .split(separator: "\n").dropFirst().map {
                $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            }
        #expect(labels.count == 17)
        for label in labels {
            let (file, expected, vendor) = (label[0], label[1], label[4])
            let url = Fixtures.snmprec(file)
            let walk = try Snmprec.read(Fixtures.read(url), file: url.path)
            let verdict = try shippedIdentification().identify(Snmprec.signals(walk), rules: rules)
            let cls = verdict.deviceClass
            switch expected {
            case "printer":
                #expect(cls == .printer || cls == .mfp, "\(file): \(String(describing: cls))")
                #expect(verdict.faxCapable != true, "\(file)")
            case "mfp-fax":
                #expect(cls == .mfp || cls == .fax, "\(file): \(String(describing: cls))")
                #expect(verdict.faxCapable == true, "\(file)")
            case "display": #expect(cls == .display, "\(file)")
            case "pc": #expect(cls == .pc, "\(file): \(String(describing: cls))")
            default:
                #expect(
                    cls != nil && ![.printer, .mfp, .fax, .display, .pc].contains(cls!),
                    "\(file): \(String(describing: cls))")
            }
            // The vendor, where the label names one the recording shows.
            let first = vendor.split(separator: " ").first.map(String.init) ?? ""
            // (named by the dictionary: Lanier is Ricoh's brand, so the verdict says Ricoh)
            let named = try shippedIdentification().manufacturers?.canonical(first)?.name ?? first
            if !["(generic", "Microsoft"].contains(first) {
                #expect(
                    verdict.vendor?.lowercased().hasPrefix(named.lowercased()) == true,
                    "\(file): \(verdict.vendor ?? "-") vs \(vendor)")
            }
            #expect(!verdict.evidence.isEmpty, "\(file)")
        }
    }

    /// The vendor the shipped rules read from each labelled recording names the labelled maker
    /// in the manufacturer dictionary (scanners/manufacturers.tsv), the one the domestic share
    /// counts; the generic Linux host names none.
    @Test func everyRecordingsVendorNamesTheLabelledMaker() throws {
        let rules = try shippedFingerprints()
        let url = Fixtures.scanners("manufacturers.tsv")
        let makers = ManufacturerDictionary(entries: try ManufacturerFile.read(Fixtures.read(url), file: url.path))
        let expected: [String: String?] = [
            "jetdirect.snmprec": "HP Inc.", "kyocera.snmprec": "Kyocera", "sharp.snmprec": "Sharp",
            "samsungprinter_clx.snmprec": "Samsung", "lanier.snmprec": "Ricoh", "ricoh.snmprec": "Ricoh",
            "brother.snmprec": "Brother", "avr-hd.snmprec": "Exterity", "linux.snmprec": nil,
            "macosx_sierra.snmprec": "Apple", "teradici-pcoip.snmprec": "Teradici", "windows.snmprec": "Dell",
            "ios.snmprec": "Cisco", "apc.snmprec": "APC", "unifi.snmprec": "Ubiquiti", "axiscam.snmprec": "Axis",
            "dsm.snmprec": "Synology",
        ]
        for (file, maker) in expected {
            let verdict = try recordingVerdict(file, rules)
            #expect(makers.canonical(verdict.vendor)?.name == maker, "\(file): \(verdict.vendor ?? "-")")
        }
        #expect(makers.canonical("Hewlett-Packard")?.domestic == false)
    }

    @Test func modelsAndEvidence() throws {
        let rules = try shippedFingerprints()
        func verdict(_ file: String) throws -> Fingerprint { try recordingVerdict(file, rules) }
        let ricoh = try verdict("ricoh.snmprec")
        #expect(ricoh.model == "MP 3053")
        #expect(ricoh.evidence.contains { $0.field == "fax_capable" && $0.reason.contains("Network Facsimile") })
        #expect(try verdict("brother.snmprec").model == "MFC-L2710DW")
        #expect(try verdict("sharp.snmprec").model == "MX-3570N")
        #expect(try verdict("windows.snmprec").os == "Windows 6.1 build 7601")
        #expect(try verdict("ios.snmprec").model == "C2950")
        #expect(try verdict("axiscam.snmprec").model == "P5534-E")
    }

    @Test func firmwareIsReadWhereTheSystemDescriptionStatesIt() throws {
        let shipped = try shippedFingerprints()
        func verdict(_ file: String) throws -> Fingerprint { try recordingVerdict(file, shipped) }
        let expected = [
            "brother.snmprec": "1.14", "jetdirect.snmprec": "V.43.92", "ricoh.snmprec": "1.09",
            "lanier.snmprec": "2.01", "samsungprinter_clx.snmprec": "V1.00.01.64", "axiscam.snmprec": "5.40.9.2",
            "avr-hd.snmprec": "4.0.2-12255", "apc.snmprec": "3.5.9",
        ]
        for (file, firmware) in expected { #expect(try verdict(file).firmware == firmware, "\(file)") }
        #expect(try verdict("sharp.snmprec").firmware == nil)  // says no version: none invented
        // The firmware column in a rule file of the current header.
        let rules = try Fingerprints.read(
            Data(
                (Fingerprints.header.joined(separator: "\t")
                    + "\nhttp.server\tregex\t^Fw/(\\S+)\t\t\t\t\t\t$1\t50\t\n").utf8), file: "f.tsv")
        #expect(Fingerprints.evaluate(["http.server": ["Fw/2.3a"]], rules: rules).firmware == "2.3a")
        #expect(throws: InputError(file: "g.tsv", line: 2, reason: "10 tab-separated fields, expected 11")) {
            try Fingerprints.read(
                Data((Fingerprints.header.joined(separator: "\t") + "\nhttp.server\tpresent\t\t\t\t\t\t\t50\t\n").utf8),
                file: "g.tsv")
        }
    }

    @Test func aBadRuleNamesItsLine() {
        // (Rows in the header without the firmware column, which files may still use.)
        let header = Fingerprints.legacyHeader.joined(separator: "\t")
        #expect(throws: InputError(file: "f.tsv", line: 2, reason: "bad regex '^(HP'")) {
            try Fingerprints.read(
                Data("\(header)\nsnmp.sysDescr\tregex\t^(HP\tprinter\t\tHP\t\t\t90\t\n".utf8), file: "f.tsv")
        }
        #expect(throws: InputError(file: "f.tsv", line: 2, reason: "unknown class 'toaster'")) {
            try Fingerprints.read(
                Data("\(header)\nsnmp.sysDescr\tprefix\tHP\ttoaster\t\tHP\t\t\t90\t\n".utf8), file: "f.tsv")
        }
        #expect(throws: InputError(file: "f.tsv", line: 2, reason: "certainty must be 1...100")) {
            try Fingerprints.read(
                Data("\(header)\nsnmp.sysDescr\tprefix\tHP\tprinter\t\tHP\t\t\t900\t\n".utf8), file: "f.tsv")
        }
    }
}

@Suite struct CRLFFingerprintTests {
    @Test func aRuleFileWithCRLF() throws {
        let text =
            Fingerprints.legacyHeader.joined(separator: "\t")
            + "\r\nsnmp.sysDescr\tprefix\tHP\tprinter\t\tHP\t\t\t90\t\r\n"
        #expect(try Fingerprints.read(Data(text.utf8), file: "f.tsv").count == 1)
        #expect(
            try Snmprec.read(Data("1.3.6.1.2.1.1.1.0|4|HP LaserJet\r\n".utf8), file: "s")["1.3.6.1.2.1.1.1.0"]
                == "HP LaserJet")
    }
}

/// The shipped rules' verdict on one shared SNMP recording.
func recordingVerdict(_ file: String, _ rules: [FingerprintRule]) throws -> Fingerprint {
    let url = Fixtures.snmprec(file)
    return try shippedIdentification().identify(
        Snmprec.signals(try Snmprec.read(Fixtures.read(url), file: url.path)), rules: rules)
}

/// What a scan knows besides the rules: Debian's IANA registry and the shipped dictionary
/// (read once for all the tests).
func shippedIdentification() throws -> Identification { try shippedKnowledge.get() }

private let shippedKnowledge = Result {
    let url = Fixtures.scanners("manufacturers.tsv")
    return Identification(
        enterprises: try EnterpriseNumbers.load(),
        manufacturers: ManufacturerDictionary(entries: try ManufacturerFile.read(Data(contentsOf: url), file: url.path))
    )
}
