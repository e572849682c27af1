import Foundation
import Wire

/// What a device is from the standard structure its SNMP agent shows, whatever its strings
/// say: RFC 1213 `sysServices` layer bits, `ipForwarding`, BRIDGE-MIB / Q-BRIDGE-MIB, UPS-MIB,
/// ENTITY-SENSOR-MIB, HOST-RESOURCES processors, the interface count; plus the agent's
/// enterprise and its registrant. Derived signals only (`snmp.role`, `snmp.layer`,
/// `snmp.enterprise` …): the fingerprint rules (data) say which class each supports and how
/// surely, so every claim keeps its evidence and a user can weigh them differently.
public enum DeviceStructure {
    static let hrProcessor = "1.3.6.1.2.1.25.3.1.3", hrPrinter = "1.3.6.1.2.1.25.3.1.5"
    /// IANAifType ethernetCsmacd, iso88023Csmacd (older agents' Ethernet), fastEther,
    /// fastEtherFX, gigabitEthernet; ieee80211.
    static let ethernetTypes: [Int64] = [6, 7, 62, 69, 117], ieee80211: Int64 = 71

    /// The signals with the derived ones added.
    public static func derive(_ signals: [String: [String]], enterprises: EnterpriseNumbers?) -> [String: [String]] {
        var s = signals
        func add(_ name: String, _ value: String) {
            if s[name]?.contains(value) != true { s[name, default: []].append(value) }
        }
        if let oid = signals["snmp.sysObjectID"]?.first, let n = EnterpriseNumbers.number(of: oid) {
            add("snmp.enterprise", String(n))
            if let name = enterprises?.name(n) { add("snmp.enterpriseName", name) }
        }
        // RFC 1213: sysServices = Σ 2^(L-1) over the layers the device serves.
        var layers = Set<Int>()
        if let services = signals["snmp.sysServices"]?.first.flatMap({ Int($0) }), (0...127).contains(services) {
            for layer in 1...7 where services & (1 << (layer - 1)) != 0 {
                layers.insert(layer)
                add("snmp.layer", String(layer))
            }
        }
        let present = { (name: String) in signals[name]?.isEmpty == false }
        let interfaces = signals["snmp.ifNumber"]?.first.flatMap { Int($0) }
        let ports = signals["snmp.dot1dBaseNumPorts"]?.first.flatMap { Int($0) } ?? 0
        if present("snmp.dot1dBaseNumPorts") { add("snmp.bridgeMIB", "present") }
        if present("snmp.dot1qVlanVersionNumber") { add("snmp.qbridgeMIB", "present") }
        if present("snmp.upsIdentManufacturer") || present("snmp.upsIdentModel") { add("snmp.upsMIB", "present") }
        if present("snmp.entPhySensorType") { add("snmp.sensorMIB", "present") }
        let printer = present("snmp.printerMIB")
        let forwarding = signals["snmp.ipForwarding"]?.first == "1"
        // The interfaces by type (the GETBULK walk of ifType), when the agent answered it:
        // Ethernet ports and 802.11 radios counted apart from loopbacks, VLANs and tunnels.
        let types = signals["snmp.ifTypes"]?.first.flatMap { ProbeAnswers.interfaceTypeCounts($0) }
        let ethernet = types.map { t in ethernetTypes.reduce(0) { $0 + (t[$1] ?? 0) } }
        let radios = types?[ieee80211] ?? 0
        if let ethernet { add("snmp.ethernetInterfaces", String(ethernet)) }
        if radios > 0 { add("snmp.wirelessInterfaces", String(radios)) }
        // A bridge: bridge ports (of at least two physical interfaces, when their types are
        // known), VLANs, or a layer-2 agent with many interfaces (Ethernet ones, when known:
        // virtual interfaces make no switch).
        let physical = ethernet.map { $0 + radios }
        let bridge =
            (ports >= 2 && (physical ?? 2) >= 2) || present("snmp.dot1qVlanVersionNumber")
            || (layers.contains(2) && (ethernet ?? interfaces ?? 0) >= 8)
        // A switch: many Ethernet ports and it bridges them (bridge ports or layer 2).
        let switching =
            !printer && (ethernet ?? 0) >= 8
            && (ports >= 8 || present("snmp.dot1qVlanVersionNumber") || layers.contains(2))
        // A router forwards and says it serves layer 3 (a host with forwarding on for its
        // containers says layer 7 only; ipForwarding 2 is never a router).
        let router = forwarding && layers.contains(3)
        let ups = present("snmp.upsIdentManufacturer") || present("snmp.upsIdentModel")
        if router { add("snmp.role", "router") }
        if bridge { add("snmp.role", "bridge") }
        if switching { add("snmp.role", "switch") }
        if ups { add("snmp.role", "ups") }
        if present("snmp.entPhySensorType"), !bridge, !router, !ups, !printer, (interfaces ?? 1) <= 2 {
            add("snmp.role", "sensor")
        }
        // The first device row's description, when that row is a printer and the agent has the
        // Printer-MIB: its model (a Windows PC lists the printers it has drivers for first).
        if signals["snmp.hrDeviceType"]?.first == hrPrinter, printer, let descr = signals["snmp.hrDeviceDescr"]?.first {
            add("snmp.hrPrinterDescr", descr)
        }
        let processors = signals["snmp.hrDeviceType"]?.contains(hrProcessor) == true
        if processors, !printer, !bridge, !router {
            add("snmp.role", "host")
        }
        // 802.11 radios on a box with no HOST-RESOURCES device table and no Printer-MIB: an
        // access point. A laptop's Wi-Fi adapters come with a device table (its first row,
        // all the scan sees, may be a printer driver rather than a processor).
        if radios > 0, !printer, !present("snmp.hrDeviceType") { add("snmp.role", "wireless") }
        return s
    }
}
