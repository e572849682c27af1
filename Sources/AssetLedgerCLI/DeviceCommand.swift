import ArgumentParser
import Foundation
import Ingest
import LedgerModel
import LedgerStore

struct DeviceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device", abstract: "Devices: list, show, assign, merge, split.",
        subcommands: [List.self, Show.self, Assign.self, Unassign.self, Merge.self, Split.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List devices (a department's list includes its sub-departments).")
        @OptionGroup var options: LedgerOptions
        @Option(help: "Department code.") var dept: String?
        @Option(name: .customLong("class"), help: "printer, mfp, fax, display, pc, server, network, other, unknown.")
        var deviceClass: String?
        @Flag(help: "Only devices no rule or person has assigned to a department.") var unassigned = false
        @Option(help: "table, csv (UTF-8 with BOM, for Excel) or json.") var format: OutputFormat = .table

        func validate() throws {
            if let c = deviceClass, DeviceClass(word: c) == nil {
                throw ValidationError(
                    "unknown class '\(c)' (use \(DeviceClass.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            if unassigned && dept != nil { throw ValidationError("--unassigned and --dept exclude each other") }
        }

        func run() async throws {
            let devices = try options.open().devices(
                DeviceFilter(
                    department: dept, deviceClass: deviceClass.flatMap(DeviceClass.init(word:)),
                    unassignedOnly: unassigned))
            Console.current.write(DeviceRendering.render(devices, format: format))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one device: facts, identifiers, observations with the rule that merged each, history.")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "Device id.") var id: Int64
        @Flag(help: "JSON instead of text.") var json = false

        func run() async throws {
            let ledger = try options.open()
            let detail = try ledger.device(id)
            let endpoint = try ledger.endpoint(id)
            Console.current.write(
                json
                    ? try DeviceRendering.json(detail, endpoint: endpoint)
                    : DeviceRendering.text(detail, endpoint: endpoint))
        }
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Assign a device to a department by hand; scans and imports never overwrite this.")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "Device id.") var id: Int64
        @Argument(help: "Department code.") var dept: String

        func run() async throws {
            try options.open().assign(device: id, to: dept)
            Console.current.line("device \(id) assigned to \(dept) (manual)")
        }
    }

    struct Unassign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Drop a manual assignment so the subnet and host-name rules decide again.")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "Device id.") var id: Int64

        func run() async throws {
            try options.open().unassign(device: id)
            Console.current.line("device \(id): manual assignment dropped")
        }
    }

    struct Merge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Join device OTHER into device KEEP (they are one machine).")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "Device id to keep.") var keep: Int64
        @Argument(help: "Device id to fold in.") var other: Int64

        func run() async throws {
            try options.open().mergeDevices(keep: keep, other: other)
            Console.current.line("device \(other) merged into device \(keep)")
        }
    }

    struct Split: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Undo a wrong merge: move the named observations of a device to a new device.",
            discussion: "Observation ids are listed by `device show ID`. Identifiers both sides share are retired.")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "Device id.") var id: Int64
        @Argument(help: "Observation ids to move to the new device.") var observations: [Int64]

        func run() async throws {
            let newID = try options.open().split(device: id, observations: observations)
            Console.current.line("device \(id) split: \(observations.count) observation(s) now form device \(newID)")
        }
    }
}

/// Device output in the three formats. JSON is the documented interface (docs/SCHEMA.md).
enum DeviceRendering {
    static let csvHeader = [
        "id", "class", "fax_capable", "vendor", "model", "serial", "os", "firmware", "macs", "ips", "hostnames",
        "department", "department_name", "owner_rule", "first_seen", "last_seen",
    ]

    static func render(_ devices: [DeviceSummary], format: OutputFormat) -> String {
        switch format {
        case .json:
            return (try? AssetLedgerCLI.json(devices.map(object))) ?? "[]\n"
        case .csv:
            return CSVWriter.document(
                header: csvHeader,
                rows: devices.map { d in
                    [
                        String(d.id), d.deviceClass.rawValue, String(d.faxCapable), d.vendor ?? "", d.model ?? "",
                        d.serial ?? "", d.os ?? "", d.firmware ?? "", d.macs.joined(separator: " "),
                        d.ips.joined(separator: " "), d.hostnames.joined(separator: " "), d.department ?? "",
                        d.departmentName ?? "", d.ownerRule?.rawValue ?? "", iso(d.firstSeen), iso(d.lastSeen),
                    ]
                })
        case .table:
            return renderTable(
                header: [
                    "id", "class", "vendor", "model", "serial", "ip", "mac", "hostname", "department", "last_seen",
                ],
                rows: devices.map { d in
                    [
                        String(d.id), d.deviceClass.rawValue + (d.faxCapable && d.deviceClass != .fax ? "+fax" : ""),
                        d.vendor ?? "",
                        d.model ?? "", d.serial ?? "", d.ips.first ?? "", d.macs.first ?? "", d.hostname ?? "",
                        d.department.map { "\($0) \(d.departmentName ?? "")" } ?? "(unassigned)", iso(d.lastSeen),
                    ]
                }) + "\(devices.count) device(s)\n"
        }
    }

    static func object(_ d: DeviceSummary) -> [String: Any] {
        func v(_ s: String?) -> Any { s ?? NSNull() }
        return [
            "id": d.id, "class": d.deviceClass.rawValue, "fax_capable": d.faxCapable, "vendor": v(d.vendor),
            "model": v(d.model), "serial": v(d.serial), "uuid": v(d.uuid), "os": v(d.os), "firmware": v(d.firmware),
            "hostname": v(d.hostname), "macs": d.macs, "ips": d.ips, "hostnames": d.hostnames,
            "department": v(d.department), "department_name": v(d.departmentName),
            "owner_rule": v(d.ownerRule?.rawValue), "owner_detail": v(d.ownerDetail),
            "first_seen": iso(d.firstSeen), "last_seen": iso(d.lastSeen),
        ]
    }

    static func json(_ detail: DeviceDetail, endpoint: EndpointState? = nil) throws -> String {
        var o = object(detail.summary)
        if let e = endpoint {
            o["endpoint"] =
                [
                    "os": e.os?.name ?? NSNull(), "os_build": e.os?.build ?? NSNull(), "reports": e.reports,
                    "software": e.software.count, "patches": e.patches.count,
                    "last_patch": e.patches.compactMap(\.installedAt).max().map(iso) ?? NSNull(),
                    "pending_security_updates": e.pendingUpdates.filter { $0.security == true }.count,
                    "antivirus": e.antivirus.map { av -> [String: Any] in
                        [
                            "name": av.name, "enabled": av.enabled ?? NSNull(),
                            "signatures_up_to_date": av.signaturesUpToDate ?? NSNull(),
                            "signature_date": av.signatureDate.map(iso) ?? NSNull(),
                        ]
                    },
                ] as [String: Any]
        }
        o["pinned"] = detail.pinned
        o["identifiers"] = detail.keys.map { ["kind": $0.kind, "value": $0.value] }
        o["observations"] = detail.observations.map { e -> [String: Any] in
            [
                "id": e.id, "source": e.observation.source.rawValue, "origin": e.observation.origin ?? NSNull(),
                "source_ref": e.observation.sourceRef ?? NSNull(), "observed_at": iso(e.observation.observedAt),
                "matched_rule": e.matchedRule, "matched_value": e.matchedValue ?? NSNull(),
            ]
        }
        o["history"] = detail.history.map { h -> [String: Any] in
            [
                "field": h.field, "old": h.old ?? NSNull(), "new": h.new ?? NSNull(), "source": h.source,
                "at": iso(h.at),
            ]
        }
        return try AssetLedgerCLI.json(o)
    }

    static func text(_ detail: DeviceDetail, endpoint: EndpointState? = nil) -> String {
        let d = detail.summary
        var lines: [String] = []
        func add(_ k: String, _ v: String?) { if let v, !v.isEmpty { lines.append("\(k): \(terminalSafe(v))") } }
        add("device", String(d.id))
        add("class", d.deviceClass.rawValue + (d.faxCapable ? " (fax capable)" : ""))
        add("vendor", d.vendor)
        add("model", d.model)
        add("serial", d.serial)
        add("uuid", d.uuid)
        add("os", d.os)
        add("firmware", d.firmware)
        add("hostnames", d.hostnames.joined(separator: ", "))
        add("macs", d.macs.joined(separator: ", "))
        add("ips", d.ips.joined(separator: ", "))
        add(
            "department",
            d.department.map {
                "\($0) \(d.departmentName ?? "") (by \(d.ownerRule?.rawValue ?? "?") \(d.ownerDetail ?? ""))"
            }
                ?? "(unassigned)")
        add("pinned", detail.pinned.joined(separator: ", "))
        add("first seen", iso(d.firstSeen))
        add("last seen", iso(d.lastSeen))
        if let e = endpoint {
            lines.append("endpoint (from \(e.reports) report(s)):")
            if let os = e.os?.name {
                lines.append("  os: \(terminalSafe(os))\(e.os?.build.map { " build \($0)" } ?? "")")
            }
            let lastPatch = e.patches.compactMap(\.installedAt).max().map(iso) ?? "none dated"
            lines.append("  patches: \(e.patches.count), last installed \(lastPatch)")
            let pending = e.pendingUpdates.filter { $0.security == true }.count
            if pending > 0 { lines.append("  security updates pending: \(pending)") }
            let av = e.antivirus.map { a in
                terminalSafe(a.name) + (a.enabled == false ? " (off)" : "")
                    + (a.signaturesUpToDate == false ? " (signatures old)" : "")
            }
            lines.append("  antivirus: \(av.isEmpty ? "none reported" : av.joined(separator: ", "))")
            lines.append("  software: \(e.software.count) program(s) (assetledger software list shows them by product)")
        }
        lines.append("identifiers:")
        for k in detail.keys { lines.append("  \(k.kind) \(terminalSafe(k.value))") }
        lines.append("observations (rule that merged each):")
        for e in detail.observations {
            let o = e.observation
            let src = [o.source.rawValue, o.origin, o.sourceRef].compactMap { $0 }.joined(separator: " ")
            lines.append(
                "  #\(e.id) \(iso(o.observedAt)) \(terminalSafe(src)): \(e.matchedRule)\(e.matchedValue.map { " \(terminalSafe($0))" } ?? "")"
            )
            for ev in o.evidence {
                lines.append(
                    "      evidence: \(terminalSafe(ev.field))=\(terminalSafe(ev.value)) (\(ev.certainty)%): \(terminalSafe(ev.reason))"
                )
            }
        }
        lines.append("history:")
        for h in detail.history {
            lines.append(
                "  \(iso(h.at)) \(h.field): \(terminalSafe(h.old ?? "-")) -> \(terminalSafe(h.new ?? "-")) (\(terminalSafe(h.source)))"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
