import Foundation
import TestSupport
import Testing

@testable import Discovery
@testable import Ingest
@testable import LedgerModel
@testable import Wire

/// Debian's snmpsim package ships example recordings of real agents (read in place, never
/// copied into the repository).
enum SnmpsimExamples {
    static let directory = "/usr/share/doc/snmpsim/examples/data"

    /// A recording's walk; `.gz` ones through gunzip into memory.
    static func walk(_ relative: String) throws -> [String: String] {
        let path = "\(directory)/\(relative)"
        let url = try Fixtures.readable(URL(fileURLWithPath: path))
        var data = try Data(contentsOf: url)
        if path.hasSuffix(".gz") {
            let gunzip = Process()
            gunzip.executableURL = URL(fileURLWithPath: "/bin/gunzip")
            gunzip.arguments = ["-c", path]
            let pipe = Pipe()
            gunzip.standardOutput = pipe
            try gunzip.run()
            data = pipe.fileHandleForReading.readDataToEndOfFile()
            gunzip.waitUntilExit()
            #expect(gunzip.terminationStatus == 0, "gunzip \(path)")
        }
        return try Snmprec.read(data, file: path)
    }

    /// Every recording under the directory, fragments included; not `variation/`, snmpsim's
    /// demonstrations of its value modules (`TYPE:MODULE` tags), which record no device.
    static func all() throws -> [String] {
        let root = try Fixtures.readable(URL(fileURLWithPath: directory))
        let files = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String } ?? []
        return files.filter {
            ($0.hasSuffix(".snmprec") || $0.hasSuffix(".snmprec.gz")) && !$0.hasPrefix("variation/")
        }.sorted()
    }

    static func verdict(_ relative: String) throws -> Fingerprint {
        try shippedIdentification().identify(Snmprec.signals(try walk(relative)), rules: try shippedFingerprints())
    }
}

/// Issue 14: identification from the enterprise number, the standard structure and the
/// agreement of independent sources, one name per maker.
@Suite struct IdentificationTests {
    @Test func theEnterpriseNumberNamesTheAgentsMaker() throws {
        let registry = try EnterpriseNumbers.load()
        #expect(registry.count > 50_000)
        #expect(registry.name(9) == "ciscoSystems")
        #expect(registry.name(2) == "IBM")  // the registrant's web address is not part of the name
        #expect(EnterpriseNumbers.number(of: "1.3.6.1.4.1.2435.2.3.9.1") == 2435)
        #expect(EnterpriseNumbers.number(of: "1.3.6.1.2.1.1") == nil)
        // Devices no product rule knows: their maker from the registry, through the dictionary.
        let linksys = try SnmpsimExamples.verdict("recorded/linksys-system.snmprec")
        #expect(linksys.vendor == "Linksys")
        #expect(linksys.evidence.contains { $0.reason.hasPrefix("snmp.enterpriseName") && $0.value == "Linksys" })
        // A router that states nothing structural: network by its maker and its product line.
        #expect(linksys.deviceClass == .network && linksys.model == "BEFSX41")
        let sun = try SnmpsimExamples.verdict("recorded/solaris-system.snmprec")
        #expect(sun.vendor == "Oracle" && sun.deviceClass == .pc && sun.model == "Sun-Blade-100" && sun.os == "Solaris")
        // The agents that name their software, not the box, name no vendor.
        for file in ["recorded/linux-full-walk.snmprec.gz", "recorded/winxp-full-walk.snmprec.gz"] {
            #expect(try SnmpsimExamples.verdict(file).vendor == nil, "\(file)")
        }
        #expect(throws: InputError(file: "e.tsv", line: 2, reason: "expected NUMBER<tab>NAME")) {
            try EnterpriseNumbers.read(Data("# x\nnine\tcisco\n".utf8), file: "e.tsv")
        }
    }

    @Test func theStructureClassifiesAgentsNoProductRuleKnows() throws {
        let cisco = try SnmpsimExamples.verdict("cisco_16_switch.snmprec.gz")
        #expect(cisco.deviceClass == .network)
        #expect(cisco.evidence.contains { $0.reason.hasPrefix("snmp.role equals 'router'") })
        #expect(cisco.evidence.contains { $0.reason.hasPrefix("snmp.role equals 'bridge'") })
        #expect(cisco.vendor == "Cisco")
        for file in ["hp_perf.snmprec.gz", "hp_perf2.snmprec.gz"] {
            let procurve = try SnmpsimExamples.verdict(file)
            #expect(procurve.deviceClass == .network, "\(file)")
            #expect(procurve.vendor == "Hewlett Packard Enterprise", "\(file)")
            #expect(procurve.model == "J9021A", "\(file)")
        }
        // Hosts: ipForwarding 2 is no router, printers a PC has drivers for make no printer.
        for file in ["public.snmprec.gz", "recorded/linux-full-walk.snmprec.gz", "recorded/winxp-full-walk.snmprec.gz"]
        {
            let host = try SnmpsimExamples.verdict(file)
            #expect(host.deviceClass == .pc, "\(file): \(String(describing: host.deviceClass))")
            #expect(!host.evidence.contains { $0.value == "network" }, "\(file)")
        }
        let xp = try SnmpsimExamples.verdict("recorded/winxp-full-walk.snmprec.gz")
        #expect(xp.evidence.contains { $0.field == "conflict" && $0.value.hasPrefix("class: pc") })
    }

    @Test func structuralRulesAndWhatMustNotMatch() throws {
        let rules = try shippedFingerprints()
        let id = try shippedIdentification()
        func verdict(_ s: [String: [String]]) -> Fingerprint { id.identify(s, rules: rules) }
        // A printer with a bridge MIB is still a printer.
        let printer = verdict([
            "snmp.sysObjectID": ["1.3.6.1.4.1.99999.1"], "snmp.printerMIB": ["present"],
            "snmp.hrDeviceType": ["1.3.6.1.2.1.25.3.1.5"], "snmp.dot1dBaseNumPorts": ["2"], "snmp.sysServices": ["78"],
        ])
        #expect(printer.deviceClass == .printer)
        // A host forwarding for its containers (sysServices 72: layers 4 and 7) is no router;
        // ipForwarding 2 never is.
        for (forwarding, services) in [("1", "72"), ("2", "6"), ("2", "76")] {
            let host = verdict([
                "snmp.sysObjectID": ["1.3.6.1.4.1.8072.3.2.10"], "snmp.ipForwarding": [forwarding],
                "snmp.sysServices": [services], "snmp.hrDeviceType": ["1.3.6.1.2.1.25.3.1.3"],
            ])
            #expect(host.deviceClass != .network, "\(forwarding) \(services)")
        }
        // A router of a maker nobody wrote a rule for.
        let router = verdict([
            "snmp.sysObjectID": ["1.3.6.1.4.1.14988.1"], "snmp.sysDescr": ["RB4011"], "snmp.ipForwarding": ["1"],
            "snmp.sysServices": ["78"], "snmp.ifNumber": ["11"],
        ])
        #expect(router.deviceClass == .network)
        #expect(router.vendor == "MikroTik")
        // A UPS: other, kind ups, maker and model from UPS-MIB.
        let ups = verdict([
            "snmp.sysObjectID": ["1.3.6.1.4.1.935.10"], "snmp.sysDescr": ["SNMP agent"],
            "snmp.upsIdentManufacturer": ["EATON"], "snmp.upsIdentModel": ["9PX 3000i"],
        ])
        #expect(ups.deviceClass == .other)
        #expect(ups.kind == "ups")
        #expect(ups.model == "9PX 3000i")
        // An environment sensor: sensors on a one-port box that neither bridges nor routes; a
        // switch's own temperature sensors make it no sensor.
        let sensor = verdict(["snmp.sysDescr": ["Agent v2.1"], "snmp.entPhySensorType": ["8"], "snmp.ifNumber": ["1"]])
        #expect(sensor.deviceClass == .other && sensor.kind == "sensor")
        let switchWithSensors = verdict([
            "snmp.sysDescr": ["Agent v2.1"], "snmp.entPhySensorType": ["8"], "snmp.ifNumber": ["28"],
            "snmp.dot1dBaseNumPorts": ["24"],
        ])
        #expect(switchWithSensors.deviceClass == .network && switchWithSensors.kind == nil)
        // ONVIF: a camera; words alone a weaker claim.
        #expect(verdict(["wsd.types": ["dn:NetworkVideoTransmitter tds:Device"]]).kind == "camera")
        #expect(verdict(["snmp.sysDescr": ["H.264 video encoder 4ch"]]).kind == "encoder")
        // Nothing supports a class: unknown, and the evidence lists the signals it had.
        let unknown = verdict(["snmp.sysDescr": ["ZX-1000 v3"], "snmp.sysName": ["box"]])
        #expect(unknown.deviceClass == nil)
        #expect(unknown.evidence.contains { $0.field == "signal" && $0.value == "snmp.sysDescr=ZX-1000 v3" })
    }

    /// Agents of makers that make network gear only are network gear unless something more
    /// specific says otherwise; Sun's Solaris agent is a host. Must and must not.
    @Test func networkGearMakersAndSolarisHosts() throws {
        let rules = try shippedFingerprints()
        let id = try shippedIdentification()
        func verdict(_ s: [String: [String]]) -> Fingerprint { id.identify(s, rules: rules) }
        // Must: agents of makers of network gear only that say nothing but a model, and a
        // FortiGate by its MIB's subtree.
        for (oid, maker) in [
            ("1.3.6.1.4.1.28557.1", "Hillstone Networks"), ("1.3.6.1.4.1.4881.1.1.10", "Ruijie"),
            ("1.3.6.1.4.1.2636.1.1.1.2.29", "Juniper"), ("1.3.6.1.4.1.30065.1.3011", "Arista"),
        ] {
            let v = verdict(["snmp.sysObjectID": [oid], "snmp.sysDescr": ["X-200 v1.0"]])
            #expect(v.deviceClass == .network, "\(maker): \(String(describing: v.deviceClass))")
            #expect(v.evidence.contains { $0.reason.hasPrefix("snmp.enterpriseName regex") && $0.value == "network" })
        }
        #expect(verdict(["snmp.sysObjectID": ["1.3.6.1.4.1.12356.101.1.3004"]]).deviceClass == .network)
        // Must not: a camera's or a NAS's own words beat the maker; makers of many kinds of
        // device (Huawei's servers, ZTE, H3C's UniServer, Fortinet's FortiAnalyzer, Aruba's
        // ClearPass, TP-Link) are no network gear by name; nor are companies whose names only
        // begin like a network maker's (Juniper Financial, Aruba S.r.l., Hillstone Products).
        let camera = verdict([
            "snmp.sysObjectID": ["1.3.6.1.4.1.3955.40.1"], "snmp.sysDescr": ["WVC80N Network Camera"],
        ])
        #expect(camera.deviceClass == .other && camera.kind == "camera")
        let nas = verdict(["snmp.sysObjectID": ["1.3.6.1.4.1.4526.100.16"], "snmp.sysDescr": ["ReadyNAS 214"]])
        #expect(nas.deviceClass == .other && nas.kind == "nas")
        for oid in [
            "1.3.6.1.4.1.2011.2.235.1.1", "1.3.6.1.4.1.3902.1", "1.3.6.1.4.1.25506.13.1", "1.3.6.1.4.1.12356.103.1",
            "1.3.6.1.4.1.14823.1.6", "1.3.6.1.4.1.11863.1.1", "1.3.6.1.4.1.6612.1", "1.3.6.1.4.1.20349.1",
            "1.3.6.1.4.1.20921.1",
        ] {
            #expect(verdict(["snmp.sysObjectID": [oid], "snmp.sysDescr": ["X-200"]]).deviceClass == nil, "\(oid)")
        }
        // The Linksys line only as the whole sysDescr, never inside another's.
        #expect(verdict(["snmp.sysDescr": ["WRT54GL"]]).model == "WRT54GL")
        #expect(verdict(["snmp.sysDescr": ["Brother NC-8300w, Firmware Ver.1.10 WRT1"]]).vendor != "Linksys")
        #expect(verdict(["snmp.sysDescr": ["BEFORE 2"]]).deviceClass == nil)
        // Solaris: the platform a Sun agent names — workstations, and the servers whose names
        // begin like one (Sun Blade T/X modules, Ultra Enterprise, E450); Net-SNMP on SunOS 5.x
        // a server, also beside Sun's own agent number.
        func sun(_ platform: String) -> Fingerprint {
            verdict(["snmp.sysObjectID": ["1.3.6.1.4.1.42.2.1.1"], "snmp.sysDescr": ["Sun SNMP Agent, \(platform)"]])
        }
        for (platform, cls) in [
            ("Sun-Fire-V240", DeviceClass.server), ("Sun-Blade-T6320", .server), ("Ultra-Enterprise", .server),
            ("Ultra-4", .server), ("Ultra-250", .server), ("Sun-Blade-2500", .pc), ("Ultra-60", .pc),
            ("Ultra-5_10", .pc),
        ] {
            let v = sun(platform)
            #expect(
                v.deviceClass == cls && v.model == platform && v.vendor == "Oracle",
                "\(platform): \(String(describing: v.deviceClass))")
        }
        #expect(sun("SUNW,Sun-Fire-T200").deviceClass == .server)
        let sunos = verdict([
            "snmp.sysObjectID": ["1.3.6.1.4.1.42.2.1.1"], "snmp.sysDescr": ["SunOS db1 5.10 Generic_147147-26 sun4v"],
        ])
        #expect(sunos.deviceClass == .server && sunos.os == "Solaris (SunOS 5.10)")
        #expect(verdict(["snmp.sysDescr": ["Linux SunOS-mirror 5.10.0 x86_64"]]).os?.hasPrefix("Solaris") != true)
    }

    /// The GETBULK walk of ifType as structure: many Ethernet ports that are bridged make a
    /// switch, 802.11 radios an access point; one or two ports and a loopback make nothing.
    @Test func interfaceTypesAreStructureAndFewPortsAreNoNetworkGear() throws {
        let rules = try shippedFingerprints()
        let id = try shippedIdentification()
        func verdict(_ s: [String: [String]]) -> Fingerprint { id.identify(s, rules: rules) }
        func network(_ v: Fingerprint) -> Bool { v.evidence.contains { $0.field == "class" && $0.value == "network" } }
        let processor = "1.3.6.1.2.1.25.3.1.3"
        // Must: a switch nobody wrote a rule for (bridge ports and 48 Ethernet ports).
        let sw = verdict([
            "snmp.sysDescr": ["XS-5000 v2.1"], "snmp.ifTypes": ["ethernetCsmacd:52 l2vlan:16 softwareLoopback:1"],
            "snmp.dot1dBaseNumPorts": ["52"], "snmp.sysServices": ["2"],
        ])
        #expect(sw.deviceClass == .network)
        #expect(sw.evidence.contains { $0.reason.hasPrefix("snmp.role equals 'switch'") })
        // Must: a layer-2 agent with 24 Ethernet ports and no BRIDGE-MIB.
        let l2 = verdict([
            "snmp.sysDescr": ["Agent 1.0"], "snmp.ifTypes": ["ethernetCsmacd:26"], "snmp.sysServices": ["2"],
        ])
        #expect(l2.deviceClass == .network)
        // Must: an access point (radios, no HOST-RESOURCES processor, no Printer-MIB).
        let ap = verdict([
            "snmp.sysDescr": ["Linux 4.4"], "snmp.ifTypes": ["ethernetCsmacd:2 ieee80211:2 softwareLoopback:1"],
        ])
        #expect(ap.deviceClass == .network)
        #expect(ap.evidence.contains { $0.reason.hasPrefix("snmp.role equals 'wireless'") })
        // Must not: a printer with one Ethernet port and a loopback, even with a 2-port BRIDGE-MIB.
        let printer = verdict([
            "snmp.sysObjectID": ["1.3.6.1.4.1.99999.1"], "snmp.printerMIB": ["present"],
            "snmp.hrDeviceType": ["1.3.6.1.2.1.25.3.1.5"], "snmp.ifTypes": ["ethernetCsmacd:1 softwareLoopback:1"],
            "snmp.dot1dBaseNumPorts": ["2"], "snmp.sysServices": ["78"], "snmp.ifNumber": ["2"],
        ])
        #expect(printer.deviceClass == .printer && !network(printer))
        // Must not: a PC with its Wi-Fi adapters (Windows lists three 802.11 interfaces).
        let pc = verdict([
            "snmp.sysObjectID": ["1.3.6.1.4.1.311.1.1.3.1.1"], "snmp.hrDeviceType": [processor],
            "snmp.ifTypes": ["ieee80211:3 ethernetCsmacd:1 softwareLoopback:1"], "snmp.sysServices": ["76"],
            "snmp.ifNumber": ["5"],
        ])
        #expect(pc.deviceClass == .pc && !network(pc))
        // ... also when its first hrDevice row (all the scan sees) is a printer driver.
        let laptop = verdict([
            "snmp.sysDescr": ["Hardware: Intel64 Family 6 Model 142 - Software: Windows Version 6.3 (Build 19045)"],
            "snmp.hrDeviceType": ["1.3.6.1.2.1.25.3.1.5"], "snmp.ifTypes": ["ieee80211:3 ethernetCsmacd:1"],
        ])
        #expect(!network(laptop), "\(String(describing: laptop.deviceClass))")
        // Must not: a NAS with two ports, a bond and virtual interfaces: a layer-2 agent of 9
        // interfaces was a bridge by ifNumber alone; its types say two Ethernet ports.
        let nas = verdict([
            "snmp.sysDescr": ["Linux DiskStation 4.4.59+"], "snmp.sysServices": ["78"], "snmp.ifNumber": ["9"],
            "snmp.ifTypes": ["propVirtual:5 ethernetCsmacd:2 softwareLoopback:1 ieee8023adLag:1"],
            "snmp.hrDeviceType": [processor],
        ])
        #expect(!network(nas), "\(String(describing: nas.deviceClass))")
        #expect(
            verdict(["snmp.sysDescr": ["Linux DiskStation"], "snmp.sysServices": ["78"], "snmp.ifNumber": ["9"]])
                .deviceClass == .network)  // without the walk, the old inference
        // The recordings with an ifTable: counts from the whole column.
        let cisco = Snmprec.signals(try SnmpsimExamples.walk("cisco_16_switch.snmprec.gz"))
        #expect(cisco["snmp.ifTypes"] == ["ethernetCsmacd:52 propVirtual:6 other:1"] && cisco["snmp.ifRows"] == ["59"])
        #expect(
            try SnmpsimExamples.verdict("cisco_16_switch.snmprec.gz").evidence.contains {
                $0.reason.hasPrefix("snmp.role equals 'switch'")
            })
        let linux = Snmprec.signals(try SnmpsimExamples.walk("recorded/linux-full-walk.snmprec.gz"))
        #expect(linux["snmp.ifTypes"] == ["ethernetCsmacd:1 softwareLoopback:1"])
    }

    @Test func agreementBeatsOneLoudClaim() throws {
        let rules = try shippedFingerprints()
        let id = try shippedIdentification()
        // IPP, DNS-SD and PJL call it an HP; one more certain SNMP rule says Kyocera.
        let signals: [String: [String]] = [
            "snmp.sysObjectID": ["1.3.6.1.4.1.1347.41"], "ipp.printer-make-and-model": ["HP LaserJet Pro M404dn"],
            "ipp.mfg": ["HP"], "mdns.txt.ty": ["HP LaserJet Pro M404dn"], "mdns.service": ["_ipp._tcp"],
            "pjl.id": ["HP LaserJet Pro M404dn"],
        ]
        let v = id.identify(signals, rules: rules)
        #expect(v.deviceClass == .printer)
        #expect(v.vendor == "HP Inc.")
        #expect(v.model == "HP LaserJet Pro M404dn")
        #expect(v.evidence.contains { $0.field == "conflict" && $0.value.hasPrefix("vendor: HP Inc.") })
        #expect(v.evidence.contains { $0.field == "vendor" && $0.value == "Kyocera" })  // the loser stays
        // Without the others, the SNMP rule stands.
        #expect(id.identify(["snmp.sysObjectID": ["1.3.6.1.4.1.1347.41"]], rules: rules).vendor == "Kyocera")
        // Vendor and model belong together: a JetDirect print server (HP) in front of a
        // Kyocera whose model IPP and PJL state: the vendor of the model's sources.
        let fronted = id.identify(
            [
                "snmp.sysObjectID": ["1.3.6.1.4.1.11.2.3.9.1"],
                "ipp.printer-make-and-model": ["Kyocera ECOSYS P2040dn"],
                "pjl.id": ["ECOSYS P2040dn"],
            ], rules: rules)
        #expect(fronted.vendor == "Kyocera")
        #expect(fronted.model == "ECOSYS P2040dn")  // the most certain spelling of the agreed model
        #expect(fronted.evidence.contains { $0.field == "conflict" && $0.value.hasPrefix("vendor and model") })
    }

    @Test func oneNamePerMaker() throws {
        let rules = try shippedFingerprints()
        let id = try shippedIdentification()
        // Every raw spelling, from every source, becomes the dictionary's one name; the raw
        // value stays in the evidence.
        let spellings: [(String, String, String)] = [
            ("ipp.mfg", "EPSON", "Seiko Epson"), ("upnp.manufacturer", "Seiko Epson Corporation", "Seiko Epson"),
            ("pjlink.inf1", "Epson", "Seiko Epson"), ("ipp.mfg", "Hewlett-Packard", "HP Inc."),
            ("upnp.manufacturer", "HP Inc.", "HP Inc."), ("mac.vendor", "Dell Inc.", "Dell"),
        ]
        for (signal, raw, name) in spellings {
            let v = id.identify([signal: [raw]], rules: rules)
            let canonical = id.manufacturers?.canonical(raw)?.name
            #expect(canonical == name || name == "Seiko Epson" && canonical?.hasPrefix("Epson") == true, "\(raw)")
            #expect(v.vendor == canonical, "\(raw): \(v.vendor ?? "-")")
            #expect(v.evidence.contains { $0.field == "vendor" && $0.value == raw }, "\(raw)")
        }
        // An adapter maker's registry name (a component) is no device maker.
        let intel = id.identify(["mac.vendor": ["Intel Corporate"]], rules: rules)
        #expect(intel.vendor == nil)
        #expect(intel.evidence.contains { $0.value == "Intel Corporate" && $0.reason.contains("component") })
    }

    /// Every shared and snmpsim recording that has a system group classifies with evidence;
    /// one without any class lists its signals.
    @Test func everyRecordingClassifiesWithEvidence() throws {
        let rules = try shippedFingerprints()
        let id = try shippedIdentification()
        var files: [(String, [String: String])] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: Fixtures.snmprec("").path).sorted()
        where name.hasSuffix(".snmprec") {
            files.append((name, try Snmprec.read(Fixtures.read(Fixtures.snmprec(name)), file: name)))
        }
        #expect(files.count == 17)
        let examples = try SnmpsimExamples.all()
        #expect(examples.count >= 15)
        for name in examples { files.append((name, try SnmpsimExamples.walk(name))) }
        var withSystem = 0
        for (name, walk) in files {
            let signals = Snmprec.signals(walk)
            guard signals["snmp.sysDescr"] != nil || signals["snmp.sysObjectID"] != nil else { continue }
            withSystem += 1
            let v = id.identify(signals, rules: rules)
            #expect(!v.evidence.isEmpty, "\(name)")
            // Every real agent with a system group gets a class, and the claim behind it.
            #expect(v.deviceClass != nil, "\(name) stays unknown")
            #expect(v.evidence.contains { $0.field == "class" }, "\(name)")
        }
        #expect(withSystem >= 25)
        // A variation module's line (TYPE:MODULE) records no value: skipped, not refused.
        let variation = try Snmprec.read(
            Data("1.3.6.1.2.1.1.1.0|4|Agent\n1.3.6.1.2.1.1.3.0|2:numeric|rate=10\n".utf8), file: "v.snmprec")
        #expect(variation == ["1.3.6.1.2.1.1.1.0": "Agent"])
    }
}
