import ArgumentParser
import Foundation
import Ingest
import LedgerApp
import LedgerModel

struct DeviceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device", abstract: "Devices: list, show, assign, merge, split, custody.",
        subcommands: [List.self, Show.self, Assign.self, Unassign.self, Merge.self, Split.self, Custody.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List devices (a department's list includes its sub-departments).")
        @OptionGroup var options: LedgerOptions
        @Option(help: "Department code.") var dept: String?
        @Option(name: .customLong("class"), help: "Device class.") var deviceClass: DeviceClass?
        @Flag(help: "Only devices no rule or person has assigned to a department.") var unassigned = false
        @Option(parsing: .unconditional, help: "Order by a key, '-' before it for descending (-last_seen).")
        var sort: DeviceOrder = .byID
        @Option(help: "table, csv (UTF-8 with BOM, for Excel) or json.") var format: OutputFormat = .table

        func validate() throws {
            if unassigned && dept != nil { throw ValidationError("--unassigned and --dept exclude each other") }
        }

        func run() async throws {
            let devices = try options.service().listDevices(
                DeviceQuery(
                    department: dept, deviceClass: deviceClass,
                    unassignedOnly: unassigned, order: sort),
                scope: .everything)
            Console.current.write(try DeviceRendering.render(devices, format: format))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one device: facts, identifiers, observations with the rule that merged each, history.")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "Device id.") var id: Int64
        @Option(help: "table (text) or json.") var format: ReportFormat = .table
        @Flag(help: "Same as --format json.") var json = false

        func run() async throws {
            let detail = try options.service().showDevice(id, scope: .everything)
            Console.current.write(
                json || format == .json ? try AssetLedgerCLI.json(detail) : DeviceRendering.text(detail))
        }
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Assign a device to a department by hand; scans and imports never overwrite this.")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "Device id.") var id: Int64
        @Argument(help: "Department code.") var dept: String
        @Option(help: "table (a line of text) or json (DeviceEditOutcome).") var format: ReportFormat = .table

        func run() async throws {
            let outcome = try options.service().assign(device: id, to: dept, scope: .everything, actor: options.actor)
            try emit(format, line: "device \(id) assigned to \(dept) (manual)", json: outcome)
        }
    }

    struct Unassign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Drop a manual assignment so the subnet and host-name rules decide again.")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "Device id.") var id: Int64
        @Option(help: "table (a line of text) or json (DeviceEditOutcome).") var format: ReportFormat = .table

        func run() async throws {
            let outcome = try options.service().unassign(device: id, scope: .everything, actor: options.actor)
            try emit(format, line: "device \(id): manual assignment dropped", json: outcome)
        }
    }

    struct Custody: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record who answers for a device (责任人) and where it is.",
            discussion: """
                Replaces the earlier record; audited (device.custody, with the old values). The security \
                check's responsible_person item reads it, and device show shows it.
                """)
        @OptionGroup var options: LedgerOptions
        @Argument(help: "Device id.") var id: Int64
        @Option(help: "The responsible person's name.") var responsible: String
        @Option(help: "Where the device is (building, room).") var location: String?
        @Option(help: "table (a line of text) or json (CustodyOutput).") var format: ReportFormat = .table

        func run() async throws {
            let c = try options.service().setCustody(
                device: id, responsible: responsible, location: location, scope: .everything, actor: options.actor)
            try emit(
                format, line: "device \(id): responsible \(c.responsible)\(c.location.map { ", \($0)" } ?? "")",
                json: c)
        }
    }

    struct Merge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Join device OTHER into device KEEP (they are one machine).")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "Device id to keep.") var keep: Int64
        @Argument(help: "Device id to fold in.") var other: Int64
        @Option(help: "table (a line of text) or json (DeviceEditOutcome).") var format: ReportFormat = .table

        func run() async throws {
            let outcome = try options.service().merge(
                keep: keep, other: other, scope: .everything, actor: options.actor)
            try emit(format, line: "device \(other) merged into device \(keep)", json: outcome)
        }
    }

    struct Split: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Undo a wrong merge: move the named observations of a device to a new device.",
            discussion: "Observation ids are listed by `device show ID`. Identifiers both sides share are retired.")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "Device id.") var id: Int64
        @Argument(help: "Observation ids to move to the new device.") var observations: [Int64]
        @Option(help: "table (a line of text) or json (DeviceEditOutcome).") var format: ReportFormat = .table

        func run() async throws {
            let outcome = try options.service().split(
                device: id, observations: observations, scope: .everything, actor: options.actor)
            try emit(
                format,
                line:
                    "device \(id) split: \(outcome.observations) observation(s) now form device \(outcome.otherDevice ?? 0)",
                json: outcome)
        }
    }
}

/// Device output in the three formats. JSON is the documented interface (docs/SCHEMA.md).
enum DeviceRendering {
    static let csvHeader = [
        "id", "class", "fax_capable", "vendor", "model", "serial", "os", "firmware", "macs", "ips", "hostnames",
        "department", "department_name", "owner_rule", "first_seen", "last_seen",
    ]

    static func render(_ devices: [DeviceOutput], format: OutputFormat) throws -> String {
        switch format {
        case .json:
            return try json(devices)
        case .csv:
            return CSVWriter.document(
                header: csvHeader,
                rows: devices.map { d in
                    [
                        String(d.id), d.deviceClass, String(d.faxCapable), d.vendor ?? "", d.model ?? "",
                        d.serial ?? "", d.os ?? "", d.firmware ?? "", d.macs.joined(separator: " "),
                        d.ips.joined(separator: " "), d.hostnames.joined(separator: " "), d.department ?? "",
                        d.departmentName ?? "", d.ownerRule ?? "", d.firstSeen, d.lastSeen,
                    ]
                })
        case .table:
            return renderTable(
                header: [
                    "id", "class", "vendor", "model", "serial", "ip", "mac", "hostname", "department", "last_seen",
                ],
                rows: devices.map { d in
                    [
                        String(d.id), d.deviceClass + (d.faxCapable && d.deviceClass != "fax" ? "+fax" : ""),
                        d.vendor ?? "",
                        d.model ?? "", d.serial ?? "", d.ips.first ?? "", d.macs.first ?? "", d.hostname ?? "",
                        d.department.map { "\($0) \(d.departmentName ?? "")" } ?? "(unassigned)", d.lastSeen,
                    ]
                }) + "\(devices.count) device(s)\n"
        }
    }

    static func text(_ detail: DeviceDetailOutput) -> String {
        let d = detail.device
        var lines: [String] = []
        func add(_ k: String, _ v: String?) { if let v, !v.isEmpty { lines.append("\(k): \(terminalSafe(v))") } }
        add("device", String(d.id))
        add("class", d.deviceClass + (d.faxCapable ? " (fax capable)" : ""))
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
                "\($0) \(d.departmentName ?? "") (by \(d.ownerRule ?? "?") \(d.ownerDetail ?? ""))"
            }
                ?? "(unassigned)")
        if let c = detail.custody {
            add(
                "responsible",
                c.responsible + (c.location.map { ", \($0)" } ?? "") + " (set by \(c.setBy) \(c.setAt))")
        }
        add("pinned", detail.pinned.joined(separator: ", "))
        if let p = detail.ports {
            add(
                "open ports",
                (p.open.isEmpty ? "none" : p.open.map(String.init).joined(separator: ","))
                    + " (of \(p.scanned ?? "?"), scan of \(p.at))")
        }
        add("first seen", d.firstSeen)
        add("last seen", d.lastSeen)
        if let e = detail.endpoint {
            lines.append("endpoint (from \(e.reports) report(s)):")
            if let os = e.os {
                lines.append("  os: \(terminalSafe(os))\(e.osBuild.map { " build \($0)" } ?? "")")
            }
            lines.append("  patches: \(e.patches.count), last installed \(e.lastPatch ?? "none dated")")
            if e.pendingSecurityUpdates > 0 { lines.append("  security updates pending: \(e.pendingSecurityUpdates)") }
            let av = e.antivirus.map { a in
                terminalSafe(a.name) + (a.enabled == false ? " (off)" : "")
                    + (a.signaturesUpToDate == false ? " (signatures old)" : "")
                    + (a.signatureAgeDays.map { " (signatures \($0) day(s) old)" } ?? "")
            }
            lines.append("  antivirus: \(av.isEmpty ? "none reported" : av.joined(separator: ", "))")
            lines.append("  software: \(e.software.count) program(s) (assetledger software list shows them by product)")
        }
        if !detail.conflicts.isEmpty {
            lines.append("conflicts (claims that disagree):")
            for c in detail.conflicts { lines.append("  \(terminalSafe(c))") }
        }
        lines.append("identifiers:")
        for k in detail.identifiers { lines.append("  \(k.kind) \(terminalSafe(k.value))") }
        lines.append("observations (rule that merged each):")
        for o in detail.observations {
            let src = [o.source, o.origin, o.sourceRef].compactMap { $0 }.joined(separator: " ")
            lines.append(
                "  #\(o.id) \(o.observedAt) \(terminalSafe(src)): \(o.matchedRule)\(o.matchedValue.map { " \(terminalSafe($0))" } ?? "")"
            )
            if let problem = o.evidenceError { lines.append("      evidence unreadable: \(terminalSafe(problem))") }
            for ev in o.evidence {
                lines.append(
                    "      evidence: \(terminalSafe(ev.field))=\(terminalSafe(ev.value)) (\(ev.certainty)%): \(terminalSafe(ev.reason))"
                )
            }
        }
        lines.append("history:")
        for h in detail.history {
            lines.append(
                "  \(h.at) \(h.field): \(terminalSafe(h.old ?? "-")) -> \(terminalSafe(h.new ?? "-")) (\(terminalSafe(h.source)))"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
