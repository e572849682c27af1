import Foundation

/// What a device is from the standard structure its SNMP agent shows, whatever its strings
/// say: RFC 1213 `sysServices` layer bits, `ipForwarding`, BRIDGE-MIB / Q-BRIDGE-MIB, UPS-MIB,
/// ENTITY-SENSOR-MIB, HOST-RESOURCES processors, the interface count; plus the agent's
/// enterprise and its registrant. Derived signals only (`snmp.role`, `snmp.layer`,
/// `snmp.enterprise` …): the fingerprint rules (data) say which class each supports and how
/// surely, so every claim keeps its evidence and a user can weigh them differently.
public enum DeviceStructure {
    static let hrProcessor = "1.3.6.1.2.1.25.3.1.3", hrPrinter = "1.3.6.1.2.1.25.3.1.5"

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
        // A bridge: bridge ports, VLANs, or a layer-2 agent with many interfaces.
        let bridge =
            ports >= 2 || present("snmp.dot1qVlanVersionNumber") || (layers.contains(2) && (interfaces ?? 0) >= 8)
        // A router forwards and says it serves layer 3 (a host with forwarding on for its
        // containers says layer 7 only; ipForwarding 2 is never a router).
        let router = forwarding && layers.contains(3)
        let ups = present("snmp.upsIdentManufacturer") || present("snmp.upsIdentModel")
        if router { add("snmp.role", "router") }
        if bridge { add("snmp.role", "bridge") }
        if ups { add("snmp.role", "ups") }
        if present("snmp.entPhySensorType"), !bridge, !router, !ups, !printer, (interfaces ?? 1) <= 2 {
            add("snmp.role", "sensor")
        }
        // The first device row's description, when that row is a printer and the agent has the
        // Printer-MIB: its model (a Windows PC lists the printers it has drivers for first).
        if signals["snmp.hrDeviceType"]?.first == hrPrinter, printer, let descr = signals["snmp.hrDeviceDescr"]?.first {
            add("snmp.hrPrinterDescr", descr)
        }
        if signals["snmp.hrDeviceType"]?.contains(hrProcessor) == true, !printer, !bridge, !router {
            add("snmp.role", "host")
        }
        return s
    }
}
