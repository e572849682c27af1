import Foundation

/// What a device said, as named signals (`snmp.sysDescr`, `mdns.service`, `ipp.printer-make-and-model`,
/// `port.open` …) that fingerprint rules match. scanners/README.md lists every name.
public struct Signals: Equatable, Sendable {
    public private(set) var values: [String: [String]] = [:]

    public init(_ values: [String: [String]] = [:]) { self.values = values }

    /// Bounds on what one host can make us keep: values per signal, signal names.
    public static let maximumValues = 16, maximumNames = 128

    /// Adds a value (trimmed, control characters removed, at most 512 characters); empty and
    /// repeated values are dropped, and so is anything past the bounds.
    public mutating func add(_ name: String, _ value: String?) {
        guard let value else { return }
        let clean = String(
            String.UnicodeScalarView(value.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) })
        )
        .trimmingCharacters(in: .whitespaces)
        guard !clean.isEmpty else { return }
        let bounded = String(clean.prefix(512))
        if let list = values[name] {
            if list.count < Self.maximumValues, !list.contains(bounded) { values[name]!.append(bounded) }
        } else if values.count < Self.maximumNames, name.utf8.count <= 64 {
            values[name] = [bounded]
        }
    }

    public mutating func merge(_ other: Signals) {
        for (name, list) in other.values.sorted(by: { $0.key < $1.key }) { for v in list { add(name, v) } }
    }

    public func first(_ name: String) -> String? { values[name]?.first }
    public var isEmpty: Bool { values.isEmpty }
}

/// Pure readers from a probe's answer to signals.
public enum ProbeAnswers {
    static let snmpNames: [String: String] = [
        "1.3.6.1.2.1.1.1": "snmp.sysDescr", "1.3.6.1.2.1.1.2": "snmp.sysObjectID", "1.3.6.1.2.1.1.5": "snmp.sysName",
        "1.3.6.1.2.1.1.6": "snmp.sysLocation", "1.3.6.1.2.1.25.1.4": "snmp.hrSystemInitialLoadParameters",
        "1.3.6.1.2.1.25.3.2.1.2": "snmp.hrDeviceType", "1.3.6.1.2.1.25.3.2.1.3": "snmp.hrDeviceDescr",
        "1.3.6.1.2.1.43.5.1.1.16": "snmp.prtGeneralPrinterName",
        "1.3.6.1.2.1.43.5.1.1.17": "snmp.prtGeneralSerialNumber",
        "1.3.6.1.2.1.43.10.2.1.4": "snmp.prtMarkerLifeCount", "1.3.6.1.2.1.2.2.1.6": "snmp.ifPhysAddress",
        "1.2.840.10036.3.1.2.1.3": "snmp.dot11ProductName",
        "1.3.6.1.2.1.47.1.1.1.1.11": "snmp.entPhysicalSerialNum",
        "1.3.6.1.2.1.47.1.1.1.1.12": "snmp.entPhysicalMfgName",
        "1.3.6.1.2.1.47.1.1.1.1.13": "snmp.entPhysicalModelName",
        "1.3.6.1.4.1.674.10892.1.300.10.1.9": "snmp.dellChassisModel",
    ].merging(structureNames) { a, _ in a }

    /// The structure (ProbeRequests.snmpStructureOIDs and the structural GET-NEXT columns).
    static let structureNames: [String: String] = [
        "1.3.6.1.2.1.1.7": "snmp.sysServices", "1.3.6.1.2.1.2.1": "snmp.ifNumber",
        "1.3.6.1.2.1.4.1": "snmp.ipForwarding", "1.3.6.1.2.1.17.1.2": "snmp.dot1dBaseNumPorts",
        "1.3.6.1.2.1.17.7.1.1.1": "snmp.dot1qVlanVersionNumber",
        "1.3.6.1.2.1.33.1.1.1": "snmp.upsIdentManufacturer", "1.3.6.1.2.1.33.1.1.2": "snmp.upsIdentModel",
        "1.3.6.1.2.1.2.2.1.3": "snmp.ifType", "1.3.6.1.2.1.47.1.1.1.1.5": "snmp.entPhysicalClass",
        "1.3.6.1.2.1.99.1.1.1.1": "snmp.entPhySensorType",
    ]

    /// The signal an SNMP object (or a row of a table column) feeds, if any.
    public static func snmpSignal(oid: String) -> String? {
        snmpNames.first { oid.hasPrefix($0.key + ".") }?.value
    }

    /// The factory-default SNMP communities `snmp.community` names; any other is a credential
    /// the operator gave and is written `(other)`.
    public static let namedCommunities = ["public", "private"]

    /// An SNMP response: each binding under the object or column it answers (a GET-NEXT that
    /// walked past its column is ignored); v3 reports give the engine ID. A v1/v2c response
    /// names the community it came with (`snmp.community`): an agent answers only a community
    /// it accepts, even with an error status, so the response proves the agent takes it.
    public static func snmp(_ message: SNMPMessage) -> Signals {
        var s = Signals()
        if let engine = message.engineID, !engine.isEmpty {
            s.add("snmp.engineID", engine.map { String(format: "%02x", $0) }.joined())
        }
        if message.version != 3, message.pduType == 0xA2, let community = message.community {
            s.add("snmp.community", namedCommunities.contains(community) ? community : "(other)")
        }
        guard message.pduType == 0xA2, message.errorStatus == 0 else { return s }
        for binding in message.bindings {
            // The object (…​.0 for scalars) or the column it is an instance of.
            guard let name = snmpSignal(oid: binding.oid) else { continue }
            switch binding.value {
            case .string(let bytes):
                if name == "snmp.ifPhysAddress" {
                    if bytes.count == 6 { s.add(name, ByteText.mac(bytes[...])) }
                } else {
                    s.add(name, String(decoding: bytes, as: UTF8.self))
                }
            case .oid(let oid): s.add(name, oid)
            case .integer(let v): s.add(name, String(v))
            case .counter(let v): s.add(name, String(v))
            default: break
            }
        }
        if s.values.keys.contains(where: { $0.hasPrefix("snmp.prt") }) { s.add("snmp.printerMIB", "present") }
        return s
    }

    /// IANAifType names of the common interface types (others are written as their number).
    public static let interfaceTypeNames: [Int64: String] = [
        1: "other", 6: "ethernetCsmacd", 7: "iso88023Csmacd", 23: "ppp", 24: "softwareLoopback", 53: "propVirtual",
        62: "fastEther",
        69: "fastEtherFX", 71: "ieee80211", 117: "gigabitEthernet", 131: "tunnel", 135: "l2vlan", 136: "l3ipvlan",
        161: "ieee8023adLag", 209: "bridge",
    ]

    /// The ifType values of a column walk, counted: the INTEGER rows only (at most 10,000, as
    /// many as a message holds), each value 1...2^31-1.
    public static func interfaceTypeCounts(_ rows: [SNMPMessage.Binding]) -> [Int64: Int] {
        var counts: [Int64: Int] = [:]
        for row in rows.prefix(10_000) {
            if case .integer(let type) = row.value, (1...Int64(Int32.max)).contains(type) {
                counts[type, default: 0] += 1
            }
        }
        return counts
    }

    /// The interfaces a walk of ifType counted: `snmp.ifTypes` (`ethernetCsmacd:24 softwareLoopback:1`,
    /// most first, then by type number) and `snmp.ifRows`, the rows walked.
    public static func snmpInterfaces(_ counts: [Int64: Int]) -> Signals {
        var s = Signals()
        guard !counts.isEmpty else { return s }
        let ordered = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        s.add(
            "snmp.ifTypes",
            ordered.map { "\(interfaceTypeNames[$0.key] ?? String($0.key)):\($0.value)" }.joined(separator: " "))
        s.add("snmp.ifRows", String(counts.values.reduce(0, +)))
        return s
    }

    /// `ethernetCsmacd:24 softwareLoopback:1` (names or numbers) back to counts by type number;
    /// nil for anything else.
    public static func interfaceTypeCounts(_ text: String) -> [Int64: Int]? {
        let numbers = Dictionary(interfaceTypeNames.map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var counts: [Int64: Int] = [:]
        for item in text.split(separator: " ") {
            let parts = item.split(separator: ":")
            guard parts.count == 2, let n = Int(parts[1]), (1...1_000_000).contains(n),
                let type = numbers[String(parts[0])] ?? Int64(parts[0])
            else { return nil }
            counts[type, default: 0] += n
        }
        return counts.isEmpty ? nil : counts
    }

    /// A NetBIOS node status: computer name, workgroup, adapter MAC.
    public static func nbns(_ info: NBNSInfo) -> Signals {
        var s = Signals()
        s.add("nbns.name", info.computerName)
        s.add("nbns.workgroup", info.workgroup)
        if info.names.contains(where: { $0.suffix == 0x20 }) { s.add("nbns.fileServer", "present") }
        if let mac = info.mac, mac != "00:00:00:00:00:00" { s.add("nbns.mac", mac) }
        return s
    }

    /// A DNS-SD answer: the services a host offers (`_ipp._tcp`), its mDNS host name and every
    /// TXT key (`mdns.txt.ty`, `mdns.txt.product`, `mdns.txt.usb_mdl`, `mdns.txt.fax` …), and
    /// the instance names whose TXT is still to be asked.
    public static func dnssd(_ message: DNSMessage) -> (signals: Signals, instances: [String]) {
        var s = Signals()
        var instances: [String] = []
        var withText = Set<String>()
        for record in message.answers + message.additional {
            switch (record.type, record.data) {
            case (DNSMessage.ptr, .name(let target)):
                if record.name.lowercased() == "_services._dns-sd._udp.local" {
                    s.add("mdns.service", serviceType(target))
                } else if let type = serviceType(fromInstance: target) {
                    s.add("mdns.service", type)
                    s.add("mdns.instance", String(target.prefix(target.count - type.count - 7)))
                    instances.append(target)
                }
            case (DNSMessage.srv, .service(_, _, _, let target)):
                s.add("mdns.hostname", target.hasSuffix(".local") ? String(target.dropLast(6)) : target)
                if let type = serviceType(fromInstance: record.name) { s.add("mdns.service", type) }
            case (DNSMessage.txt, .text(let strings)):
                withText.insert(record.name.lowercased())
                for entry in strings {
                    let parts = entry.split(separator: "=", maxSplits: 1)
                    guard let key = parts.first, parts.count == 2, key.count <= 32 else { continue }
                    s.add("mdns.txt." + key.lowercased(), String(parts[1]))
                }
            default: break
            }
        }
        return (s, instances.filter { !withText.contains($0.lowercased()) })
    }

    /// `_ipp._tcp.local` → `_ipp._tcp`.
    static func serviceType(_ name: String) -> String {
        name.lowercased().hasSuffix(".local") ? String(name.dropLast(6)) : name
    }

    /// `Brother MFC._ipp._tcp.local` → `_ipp._tcp`.
    static func serviceType(fromInstance name: String) -> String? {
        let labels = name.split(separator: ".")
        guard labels.count >= 4, labels.last?.lowercased() == "local" else { return nil }
        let proto = labels[labels.count - 2].lowercased()
        guard proto == "_tcp" || proto == "_udp", labels[labels.count - 3].hasPrefix("_") else { return nil }
        return "\(labels[labels.count - 3].lowercased()).\(proto)"
    }

    /// An SSDP answer (HTTP head over UDP): its SERVER line and where the description is.
    public static func ssdp(_ head: HTTPHead) -> (signals: Signals, location: String?) {
        var s = Signals()
        s.add("ssdp.server", head["server"])
        s.add("ssdp.st", head["st"])
        return (s, head["location"])
    }

    /// A UPnP device description (XML, bounded): the root device's type, maker, model, name,
    /// serial. Read by element name, first occurrence; entities decoded, nothing fetched.
    public static func upnpDescription(_ body: ArraySlice<UInt8>) -> Signals {
        let text = String(decoding: body.prefix(64 * 1024), as: UTF8.self)
        var s = Signals()
        for element in ["deviceType", "manufacturer", "modelName", "modelNumber", "friendlyName", "serialNumber"] {
            guard let open = text.range(of: "<\(element)>"),
                let close = text.range(of: "</\(element)>", range: open.upperBound..<text.endIndex)
            else { continue }
            s.add("upnp.\(element)", xmlText(String(text[open.upperBound..<close.lowerBound])))
        }
        return s
    }

    /// A WS-Discovery ProbeMatch (SOAP, bounded): the device's types (`wsdp:Device
    /// wprt:PrintDeviceType`, `pub:Computer`) and service addresses. Read by local element name
    /// whatever the namespace prefix; nothing is fetched.
    public static func wsd(_ body: ArraySlice<UInt8>) -> Signals {
        let text = String(decoding: body.prefix(64 * 1024), as: UTF8.self)
        var s = Signals()
        guard text.contains("ProbeMatch") else { return s }
        for (element, signal) in [("Types", "wsd.types"), ("XAddrs", "wsd.xaddrs")] {
            guard let open = text.range(of: ":\(element)>") ?? text.range(of: "<\(element)>"),
                let close = text.range(of: "</", range: open.upperBound..<text.endIndex)
            else { continue }
            s.add(signal, xmlText(String(text[open.upperBound..<close.lowerBound])))
        }
        return s
    }

    static func xmlText(_ raw: String) -> String {
        raw.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// An IPP Get-Printer-Attributes answer.
    public static func ipp(_ message: IPPMessage) -> Signals {
        var s = Signals()
        for name in [
            "printer-make-and-model", "printer-name", "printer-info", "printer-device-id", "printer-uuid",
            "printer-firmware-string-version", "printer-serial-number", "printer-kind", "ipp-features-supported",
        ] {
            for value in message.texts(name) { s.add("ipp." + name, value) }
        }
        // IEEE 1284 device ID: MFG and MDL name the maker and model.
        if let id = message.text("printer-device-id") {
            for field in id.split(separator: ";") {
                let kv = field.split(separator: ":", maxSplits: 1)
                guard kv.count == 2 else { continue }
                switch kv[0].trimmingCharacters(in: .whitespaces).uppercased() {
                case "MFG", "MANUFACTURER": s.add("ipp.mfg", String(kv[1]))
                case "MDL", "MODEL": s.add("ipp.mdl", String(kv[1]))
                default: break
                }
            }
        }
        return s
    }

    /// A PJLink class 1 exchange: the greeting and the answers to NAME, INF1 (maker), INF2
    /// (model), CLSS, as `%1INF1=EPSON` lines.
    public static func pjlink(_ text: String) -> Signals {
        var s = Signals()
        for line in text.split(whereSeparator: { $0 == "\r" || $0 == "\n" }) {
            if line.hasPrefix("PJLINK ") { s.add("pjlink.greeting", String(line)) }
            guard line.hasPrefix("%1"), let eq = line.firstIndex(of: "=") else { continue }
            let command = line[line.index(line.startIndex, offsetBy: 2)..<eq].lowercased()
            let value = String(line[line.index(after: eq)...])
            guard ["name", "inf1", "inf2", "info", "clss"].contains(command), !value.hasPrefix("ERR") else { continue }
            s.add("pjlink.\(command)", value)
        }
        return s
    }
}
