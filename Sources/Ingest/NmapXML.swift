import Foundation
import LedgerModel

/// Reads nmap's XML output (`-oX`) into observations, one per host that was up: addresses
/// (IPv4/IPv6, MAC with nmap's vendor), host names, open ports as evidence (and the TCP ports
/// the run asked, from `scaninfo`, as `ports.scanned`: a port not open is known closed only if
/// it was asked), and nmap's best OS guess (`osmatch`/`osclass`) as a class, vendor and OS claim
/// with nmap's accuracy as its certainty.
public enum NmapXML {
    public static func read(_ data: Data, file: String) throws -> [Observation] {
        let root = try InventoryTree.xml(data, file: file)
        guard root.name == "nmaprun" else {
            throw InputError(file: file, line: nil, reason: "not nmap XML (no <nmaprun>)")
        }
        let started = root.value("start").flatMap(Double.init).flatMap(InventoryDate.epoch)
        let finished = root.path("runstats", "finished")?.value("time").flatMap(Double.init).flatMap(
            InventoryDate.epoch)
        var scanned = Set<UInt16>()
        for info in root.all("scaninfo") where (info.value("protocol") ?? "tcp") == "tcp" {
            if let ports = info.value("services").flatMap(ScanEvidence.ports) { scanned.formUnion(ports) }
        }
        let asked = scanned.isEmpty ? nil : ScanEvidence.portText(Array(scanned))
        var out: [Observation] = []
        for host in root.all("host") {
            guard host.child("status")?.value("state") != "down" else { continue }
            let seen =
                host.value("endtime").flatMap(Double.init).flatMap(InventoryDate.epoch)
                ?? finished ?? started ?? Date()
            var o = Observation(source: .import, sourceRef: file, observedAt: seen)
            for address in host.all("address") {
                guard let addr = address.value("addr") else { continue }
                switch address.value("addrtype") {
                case "mac":
                    o.macs.append(addr)
                    if let vendor = address.value("vendor") {
                        o.evidence.append(
                            Evidence(
                                field: "vendor", value: vendor, reason: "nmap: MAC vendor of \(addr)", certainty: 30))
                    }
                default: o.ips.append(addr)
                }
            }
            o.hostnames = host.child("hostnames")?.all("hostname").compactMap { $0.value("name") } ?? []
            let open = host.child("ports")?.all("port").filter { $0.child("state")?.value("state") == "open" } ?? []
            for port in open {
                let id = "\(port.value("protocol") ?? "tcp")/\(port.value("portid") ?? "?")"
                let service = port.child("service")
                let what = [service?.value("name"), service?.value("product"), service?.value("version")].compactMap {
                    $0
                }
                .joined(separator: " ")
                o.evidence.append(Evidence(field: "port", value: id, reason: "nmap: open \(what)", certainty: 100))
            }
            if let asked, host.child("ports") != nil {
                o.evidence.append(
                    Evidence(field: "ports.scanned", value: asked, reason: "nmap: TCP ports asked", certainty: 100))
            }
            if let match = host.child("os")?.all("osmatch").max(by: {
                (Int($0.value("accuracy") ?? "") ?? 0) < (Int($1.value("accuracy") ?? "") ?? 0)
            }) {
                let accuracy = Int(match.value("accuracy") ?? "") ?? 0
                let osClass = match.child("osclass")
                o.os = match.value("name")
                o.deviceClass = osClass?.value("type").flatMap(deviceClass)
                o.vendor = osClass?.value("vendor")
                for (field, value) in [("os", o.os), ("class", o.deviceClass?.rawValue), ("vendor", o.vendor)] {
                    if let value {
                        o.evidence.append(
                            Evidence(field: field, value: value, reason: "nmap OS guess", certainty: accuracy))
                    }
                }
            }
            if !o.macs.isEmpty || !o.ips.isEmpty { out.append(o) }
        }
        return out
    }

    /// nmap's device types (`osclass type`) in the ledger's vocabulary.
    static func deviceClass(_ type: String) -> DeviceClass? {
        switch type.lowercased() {
        case "printer", "print server": .printer
        case "general purpose": .pc
        case "switch", "router", "firewall", "wap", "bridge", "broadband router", "load balancer": .network
        case "media device", "webcam", "specialized", "storage-misc", "power-device", "phone", "game console",
            "terminal", "pda":
            .other
        default: nil
        }
    }
}
