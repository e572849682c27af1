import Foundation
import LedgerModel

/// A scan's hosts written for other tools: nmap-compatible XML (the `-oX` shape, which nmap's
/// own parsers, ndiff and `assetledger import` read), JSON lines and CSV rows. Pure.
public enum ScanOutput {
    public static let csvHeader = [
        "ip", "mac", "mac_vendor", "class", "fax_capable", "vendor", "model", "serial", "os", "firmware", "hostname",
        "open_ports",
    ]

    public static func csvRow(_ h: ScannedHost) -> [String] {
        let f = h.fingerprint
        return [
            h.ip.description, h.mac ?? "", h.macVendor ?? "", f.deviceClass?.rawValue ?? "",
            f.faxCapable.map { $0 ? "yes" : "no" } ?? "", h.vendor ?? "", f.model ?? "", h.serial ?? "", f.os ?? "",
            h.firmware ?? "", h.hostname ?? "", h.openPorts.map(String.init).joined(separator: " "),
        ]
    }

    /// One JSON object per host, with every signal and the evidence behind each claim.
    public static func jsonLine(_ h: ScannedHost) throws -> String {
        let f = h.fingerprint
        var object: [String: Any] = [
            "ip": h.ip.description, "open_ports": h.openPorts.map(Int.init),
            "signals": h.signals.values,
            "evidence": f.evidence.map {
                ["field": $0.field, "value": $0.value, "reason": $0.reason, "certainty": $0.certainty] as [String: Any]
            },
        ]
        let optional: [(String, Any?)] = [
            ("mac", h.mac), ("mac_vendor", h.macVendor), ("class", f.deviceClass?.rawValue), ("kind", f.kind),
            ("fax_capable", f.faxCapable),
            ("vendor", h.vendor), ("model", f.model), ("serial", h.serial), ("os", f.os), ("firmware", h.firmware),
            ("hostname", h.hostname),
        ]
        for (key, value) in optional { if let value { object[key] = value } }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    /// nmap XML. `osclass type` uses nmap's device types (printer, general purpose, switch,
    /// media device, specialized …) so nmap-reading tools understand the class.
    public static func nmapXML(
        hosts: [ScannedHost], ports: [UInt16], arguments: String, started: Date, finished: Date, targets: Int
    ) -> String {
        let start = Int(finiteClamping: started.timeIntervalSince1970) ?? 0
        let end = Int(finiteClamping: finished.timeIntervalSince1970) ?? 0
        var x = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE nmaprun>
            <nmaprun scanner="assetledger" args="\(escape(arguments))" start="\(start)" startstr="\(escape(started.description))" version="1" xmloutputversion="1.05">
            <scaninfo type="syn" protocol="tcp" numservices="\(ports.count)" services="\(ports.map(String.init).joined(separator: ","))"/>

            """
        for h in hosts {
            let reason = h.mac == nil ? "echo-reply" : "arp-response"
            x +=
                "<host starttime=\"\(start)\" endtime=\"\(end)\"><status state=\"up\" reason=\"\(reason)\" reason_ttl=\"0\"/>\n"
            x += "<address addr=\"\(h.ip)\" addrtype=\"ipv4\"/>\n"
            if let mac = h.mac {
                x += "<address addr=\"\(escape(mac.uppercased()))\" addrtype=\"mac\""
                if let vendor = h.macVendor { x += " vendor=\"\(escape(vendor))\"" }
                x += "/>\n"
            }
            x += "<hostnames>"
            if let name = h.hostname { x += "<hostname name=\"\(escape(name))\" type=\"user\"/>" }
            x += "</hostnames>\n<ports>"
            let closed = ports.count - h.openPorts.count
            if closed > 0 { x += "<extraports state=\"closed\" count=\"\(closed)\"/>" }
            for port in h.openPorts {
                x +=
                    "<port protocol=\"tcp\" portid=\"\(port)\"><state state=\"open\" reason=\"syn-ack\" reason_ttl=\"64\"/>"
                if let name = serviceNames[port] { x += "<service name=\"\(name)\" method=\"table\" conf=\"3\"/>" }
                x += "</port>"
            }
            x += "</ports>\n"
            let f = h.fingerprint
            if let c = f.deviceClass {
                let certainty = f.evidence.filter { $0.field == "class" }.map(\.certainty).max() ?? 0
                let name = [f.vendor, f.model, f.os].compactMap { $0 }.joined(separator: " ")
                x +=
                    "<os><osmatch name=\"\(escape(name.isEmpty ? c.rawValue : name))\" accuracy=\"\(certainty)\" line=\"0\">"
                x += "<osclass type=\"\(nmapType(c))\""
                if let vendor = f.vendor { x += " vendor=\"\(escape(vendor))\"" }
                x += " accuracy=\"\(certainty)\"/></osmatch></os>\n"
            }
            x += "</host>\n"
        }
        let elapsed = String(format: "%.2f", finished.timeIntervalSince(started))
        x += """
            <runstats><finished time="\(end)" timestr="\(escape(finished.description))" elapsed="\(elapsed)" summary="\(hosts.count) hosts up" exit="success"/><hosts up="\(hosts.count)" down="\(max(0, targets - hosts.count))" total="\(targets)"/></runstats>
            </nmaprun>

            """
        return x
    }

    static func nmapType(_ c: DeviceClass) -> String {
        switch c {
        case .printer, .mfp, .fax: "printer"
        case .pc, .server: "general purpose"
        case .network: "switch"
        case .display: "media device"
        default: "specialized"
        }
    }

    static let serviceNames: [UInt16: String] = [
        21: "ftp", 22: "ssh", 23: "telnet", 80: "http", 135: "msrpc", 139: "netbios-ssn", 443: "https",
        445: "microsoft-ds", 515: "printer", 631: "ipp", 1515: "ifor-protocol", 3389: "ms-wbt-server", 4352: "pjlink",
        4559: "hylafax", 5900: "vnc", 5985: "wsman", 7236: "display", 8008: "http", 8009: "ajp13", 8080: "http-proxy",
        8443: "https-alt", 9100: "jetdirect", 9999: "abyss",
    ]

    /// XML attribute text: markup characters escaped, control characters dropped.
    public static func escape(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0xFFFE
                    || scalar.value == 0xFFFF
                {
                    continue
                }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
