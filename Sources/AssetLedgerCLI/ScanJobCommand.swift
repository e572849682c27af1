import ArgumentParser
import Discovery
import Foundation
import LedgerApp
import LedgerModel

/// `assetledger scan job`: the scans the server runs by itself (`serve` checks every half
/// minute which jobs are due) or when asked, one at a time per scope, each run recorded.
struct ScanJobCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "job", abstract: "Scan jobs the server runs on schedule or on demand.",
        discussion: """
            A job is a scan as `scan run` would be given it (scope, exclusions, ports, rate, probes, \
            interface) and a schedule: --every 30m|6h|1d (the time since its last run started), --at HH:MM \
            (once a day after that local time of the server), or neither (only when asked). `assetledger \
            serve` starts due jobs; `scan job run` and the console's scans page start one now. A job whose \
            scope overlaps a running job's is not started (busy). Every run is recorded with its scan or, \
            when the scan could not run, the reason.
            """,
        subcommands: [Add.self, Edit.self, List.self, Show.self, Remove.self, Enable.self, Disable.self, Run.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a scan job (explicit scope required; checked like scan run).")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "Job name (no spaces, not only digits).") var name: String
        @Option(
            parsing: .upToNextOption,
            help: "Targets: CIDR (198.18.0.0/24), range (198.18.0.1-198.18.0.40) or address; several may follow.")
        var scope: [String] = []
        @Option(parsing: .upToNextOption, help: "Addresses never to touch (CIDR, range or address).")
        var exclude: [String] = []
        @Option(help: "TCP ports, nmap style (22,80,8000-8010; 'default').") var ports = "default"
        @Option(
            help: ArgumentHelp(
                "What to do after discovery, comma-separated: ports, udp, tcp; 'all' or 'none'. (default: all)",
                valueName: "phases"),
            transform: { text in try usage { try ScanPhase.parse(text) } })
        var probes: [ScanPhase] = ScanPhase.allCases
        @Option(help: "Probes to leave out, comma-separated (the names scan run --skip takes).") var skip = ""
        @Option(help: "Packets per second over the whole scan.") var rate: Double = 1_000
        @Option(help: "Interface to scan from (its subnet must be on-link).") var interface: String
        @Option(help: "Run every 30m, 6h, 1d... (since the last run started).") var every: String?
        @Option(help: "Run once a day after this local time, HH:MM.") var at: String?
        @Option(help: "table or json.") var format: ReportFormat = .table

        func validate() throws {
            _ = try usage { try ScanProbes.parseSkip(skip) }
            _ = try usage { try ScanSchedule.parse(every: every, at: at) }
        }

        func run() async throws {
            var spec = ScanJobSpec(name: name, scope: scope, interface: interface)
            spec.exclusions = exclude
            spec.ports = ports
            spec.probes = probes
            spec.skip = try ScanProbes.parseSkip(skip)
            spec.rate = rate
            spec.schedule = try usage { try ScanSchedule.parse(every: every, at: at) }
            let job = try options.service().addScanJob(spec, scope: .everything, actor: options.actor)
            try emit(
                format, line: "scan job \(job.name) added (id \(job.id)): \(job.scope), \(job.schedule)", json: job)
        }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a scan job: what is given replaces the job's, the rest stays (checked like add).",
            discussion: "A run going on keeps its settings; the next run scans as edited. Audited field by field.")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "Job name or id.") var job: String
        @Option(parsing: .upToNextOption, help: "New targets (replace the scope).") var scope: [String] = []
        @Option(parsing: .upToNextOption, help: "New exclusions (replace them).") var exclude: [String] = []
        @Flag(help: "Drop every exclusion.") var noExclusions = false
        @Option(help: "TCP ports, nmap style.") var ports: String?
        @Option(
            help: ArgumentHelp("Phases after discovery: ports, udp, tcp; 'all' or 'none'.", valueName: "phases"),
            transform: { text in try usage { try ScanPhase.parse(text) } })
        var probes: [ScanPhase]?
        @Option(help: "Probes to leave out, comma-separated ('' for none).") var skip: String?
        @Option(help: "Packets per second over the whole scan.") var rate: Double?
        @Option(help: "Interface to scan from.") var interface: String?
        @Option(help: "Run every 30m, 6h, 1d... (replaces the schedule).") var every: String?
        @Option(help: "Run once a day after this local time, HH:MM (replaces the schedule).") var at: String?
        @Flag(help: "Run only when asked (drops the schedule).") var onDemand = false
        @Option(help: "table or json.") var format: ReportFormat = .table

        func validate() throws {
            if noExclusions && !exclude.isEmpty {
                throw ValidationError("--exclude and --no-exclusions exclude each other")
            }
            if onDemand && (every != nil || at != nil) {
                throw ValidationError("--on-demand excludes --every and --at")
            }
            if let skip { _ = try usage { try ScanProbes.parseSkip(skip) } }
            if every != nil || at != nil { _ = try usage { try ScanSchedule.parse(every: every, at: at) } }
        }

        func run() async throws {
            var change = ScanJobChange()
            if !scope.isEmpty { change.scope = scope }
            if !exclude.isEmpty { change.exclusions = exclude }
            if noExclusions { change.exclusions = [] }
            change.ports = ports
            change.probes = probes
            change.skip = try skip.map { try ScanProbes.parseSkip($0) }
            change.rate = rate
            change.interface = interface
            if every != nil || at != nil {
                change.schedule = try usage { try ScanSchedule.parse(every: every, at: at) }
            }
            if onDemand { change.schedule = ScanSchedule() }
            let j = try options.service().editScanJob(job, change, scope: .everything, actor: options.actor)
            try emit(format, line: "scan job \(j.name) changed: \(j.scope), \(j.schedule)", json: j)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List scan jobs with their last and next run.")
        @OptionGroup var options: LedgerOptions
        @Option(help: "table, csv or json.") var format: OutputFormat = .table

        func run() async throws {
            let jobs = try options.service().listScanJobs(scope: .everything)
            try emit(
                format,
                header: [
                    "id", "name", "schedule", "enabled", "scope", "interface", "last_run", "last_status", "next_run",
                ],
                rows: jobs.map {
                    [
                        String($0.id), $0.name, $0.schedule, $0.enabled ? "yes" : "no", $0.scope, $0.interface,
                        $0.lastRun?.started ?? "", $0.lastRun?.status ?? "", $0.nextRun ?? "",
                    ]
                }, footer: "\(jobs.count) scan job(s)", json: jobs)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A scan job and its latest runs.")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "Job name or id.") var job: String
        @Option(help: "table, csv (the runs) or json.") var format: OutputFormat = .table

        func run() async throws {
            let shown = try options.service().showScanJob(job, scope: .everything)
            let header = ["run", "trigger", "by", "started", "finished", "status", "scan", "error"]
            let rows = shown.runs.map {
                [
                    String($0.id), $0.trigger, $0.triggeredBy, $0.started, $0.finished ?? "", $0.status,
                    $0.scan.map(String.init) ?? "", $0.error ?? "",
                ]
            }
            guard format == .table else { return try emit(format, header: header, rows: rows, json: shown) }
            let j = shown.job
            let facts: [(String, String)] = [
                ("job", "\(j.name) (id \(j.id))"), ("schedule", j.schedule), ("enabled", j.enabled ? "yes" : "no"),
                ("scope", j.scope), ("exclusions", j.exclusions.isEmpty ? "-" : j.exclusions), ("ports", j.ports),
                ("rate", "\(Int(j.rate)) packets/s"), ("probes", j.probes.isEmpty ? "none" : j.probes),
                ("skip", j.skip.isEmpty ? "-" : j.skip), ("interface", j.interface),
                ("created", "\(j.createdAt) by \(j.createdBy)"), ("next run", j.nextRun ?? "-"),
            ]
            let width = facts.map(\.0.count).max() ?? 0
            var out = facts.map {
                $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + terminalSafe($0.1)
            }
            .joined(separator: "\n")
            out += "\n\n" + renderTable(header: header, rows: rows)
            Console.current.write(out)
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a scan job and its runs (the scans they recorded stay).")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "Job name or id.") var job: String

        @Option(help: "table (a line of text) or json (ScanJobOutput, as it was).") var format: ReportFormat = .table

        func run() async throws {
            let removed = try options.service().removeScanJob(job, scope: .everything, actor: options.actor)
            try emit(format, line: "scan job \(job) removed", json: removed)
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let the schedule start a scan job again.")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "Job name or id.") var job: String

        @Option(help: "table (a line of text) or json (ScanJobOutput).") var format: ReportFormat = .table

        func run() async throws {
            let j = try options.service().setScanJobEnabled(job, true, scope: .everything, actor: options.actor)
            try emit(format, line: "scan job \(j.name) enabled: \(j.schedule)", json: j)
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop the schedule starting a scan job (it still runs when asked).")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "Job name or id.") var job: String

        @Option(help: "table (a line of text) or json (ScanJobOutput).") var format: ReportFormat = .table

        func run() async throws {
            let j = try options.service().setScanJobEnabled(job, false, scope: .everything, actor: options.actor)
            try emit(format, line: "scan job \(j.name) disabled", json: j)
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a scan job now and wait for it (refused while an overlapping job runs).",
            discussion: "A run whose scan fails is recorded as failed with the reason, printed, and exits non-zero.")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "Job name or id.") var job: String
        @Option(help: "table or json.") var format: ReportFormat = .table

        func run() async throws {
            let run = try options.service().runScanJob(job, actor: options.actor, scope: .everything)
            let line =
                run.status == "ok"
                ? "scan job \(run.jobName): run \(run.id) ok, recorded as scan \(run.scan.map(String.init) ?? "?") (assetledger scan list, scan diff)"
                : "scan job \(run.jobName): run \(run.id) \(run.status): \(terminalSafe(run.error ?? ""))"
            try emit(format, line: line, json: run)
            if run.status != "ok" { throw ExitCode(1) }
        }
    }
}
