import Foundation
import Ingest
import LedgerApp
import LedgerModel
import LedgerStore
import Reports

/// Issue 4's benchmark: import 10,000 endpoint reports of 300 programs each (built from the
/// real agent samples) into a campus of 50,000 scanned devices, one report per transaction as
/// agents send them; then the posture report of the 5,000-device department.
func runEndpointBench(_ options: Options) throws {
    let campus = try Campus.build(options)
    defer { campus.remove() }
    let ledger = campus.ledger

    // The real samples' software, hotfixes and antivirus.
    let samples = [
        "fusioninventory/rudder/WORKSTATION1-8f94b6a2-5cb6-4f76-9fa7-467e8b22f5e7.ocs",
        "fusioninventory/rudder/WIN-AI8CLNPLOV5-2014-06-20-18-15-49.ocs", "open-audit/laptop.xml",
        "fusioninventory/rudder/windows2022.ocs", "fusioninventory/rudder/debian12.ocs",
    ]
    var software: [EndpointReport.Software] = []
    var patches: [EndpointReport.Patch] = []
    var antivirus: [EndpointReport.AntivirusProduct] = []
    var seen: Set<String> = []
    for sample in samples {
        let path = "\(options.agents)/\(sample)"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LedgerError(.io, "\(path): cannot read the agent samples (--agents DIR)")
        }
        let r = try EndpointFile.read(data, file: path)
        for s in r.software where seen.insert(s.name).inserted { software.append(s) }
        patches += r.patches
        antivirus += r.antivirus
    }
    guard software.count >= options.programs else {
        throw LedgerError(
            .invalidInput, "the samples hold \(software.count) distinct programs, fewer than \(options.programs)")
    }
    var template = EndpointReport(format: "assetledger-endpoint-report")
    template.agent = "bench"
    template.collectedAt = Date(timeIntervalSince1970: 1_790_100_000)
    template.identity.hostname = "__HOST__"
    template.identity.serials = ["__SERIAL__"]
    template.identity.smbiosUUID = "__UUID__"
    template.identity.macs = ["__MAC__"]
    template.identity.ips = ["__IP__"]
    var os = EndpointReport.OperatingSystem()
    os.name = "Microsoft Windows 11 Pro"
    os.version = "24H2"
    os.build = "26100"
    template.os = os
    template.software = Array(software.prefix(options.programs))
    template.patches = Array(patches.prefix(20))
    template.antivirus = Array(antivirus.prefix(1))
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.dateEncodingStrategy = .iso8601
    let body = String(decoding: try encoder.encode(template), as: UTF8.self)
    let json = "{\"schema\":\"assetledger-endpoint-report\",\"schema_version\":1," + body.dropFirst()
    // The template cut at its placeholders, so each report is a few concatenations.
    let placeholders = ["__HOST__", "__SERIAL__", "__UUID__", "__MAC__", "__IP__"]
    var pieces: [(text: String, slot: Int?)] = []
    var rest = Substring(json)
    while let hit = placeholders.enumerated().compactMap({ i, p in rest.range(of: p).map { (i, $0) } })
        .min(by: { $0.1.lowerBound < $1.1.lowerBound })
    {
        pieces.append((String(rest[..<hit.1.lowerBound]), hit.0))
        rest = rest[hit.1.upperBound...]
    }
    pieces.append((String(rest), nil))

    // The campus as the scanner knows it: 50,000 devices.
    let start = Date(timeIntervalSince1970: 1_790_000_000)
    let scans = campus.placement.indices.map { n in
        Observation(
            source: .scan, sourceRef: "bench", observedAt: start.addingTimeInterval(Double(n)),
            deviceClass: n % 4 != 0 || n % 5 == 0 ? .pc : .printer, macs: [campus.mac(n)], ips: [campus.ip(n)],
            hostnames: [campus.hostname(n)])
    }
    for first in stride(from: 0, to: scans.count, by: 10_000) {
        try ledger.merge(Array(scans[first..<min(first + 10_000, scans.count)]))
    }

    // Timed: every fifth device's agent reports, parsed and imported one per transaction.
    let targets = campus.placement.indices.filter { $0 % 5 == 0 }.prefix(options.reports)
    let importStart = now()
    var joined = 0
    var parseSeconds = 0.0
    var storeSeconds = 0.0
    for n in targets {
        let values = [
            campus.hostname(n), String(format: "PF%08X", n), String(format: "6B1D2C3E-0000-4000-8000-%012X", n),
            campus.mac(n), campus.ip(n),
        ]
        var text = ""
        text.reserveCapacity(json.utf8.count + 64)
        for piece in pieces {
            text += piece.text
            if let slot = piece.slot { text += values[slot] }
        }
        let parseStart = now()
        let report = try AssetLedgerReportFile.read(Data(text.utf8), file: "bench-\(n).json")
        let storeStart = now()
        parseSeconds += storeStart - parseStart
        let s = try ledger.importEndpointReports([report], sourceRef: "bench-\(n).json")
        storeSeconds += now() - storeStart
        if s.merge.created == 0 { joined += 1 }
    }
    let importSeconds = now() - importStart
    let rate = Double(targets.count) / importSeconds
    let rss = peakRSSMB()

    // Posture of the 5,000-device department (its PCs, with and without reports).
    let lifecyclePath = ScannerData.locate("os-lifecycle.tsv") ?? "scanners/os-lifecycle.tsv"
    let lifecycle = try LifecycleFile.read(
        FileManager.default.contents(atPath: lifecyclePath) ?? Data(), file: lifecyclePath)
    var postureTimes: [Double] = []
    var judged = 0
    var failing = 0
    for _ in 0..<options.listRuns {
        let s = now()
        let pcs = try ledger.posturePCs(DeviceFilter(department: "D00"))
        let results = pcs.map {
            PostureRules.evaluate(
                $0.input, policy: PosturePolicy(), lifecycle: lifecycle, now: Date(timeIntervalSince1970: 1_790_200_000)
            )
        }
        postureTimes.append((now() - s) * 1000)
        judged = pcs.count
        failing = results.filter { !$0.isEmpty }.count
    }
    let postureMedian = median(postureTimes)
    let devices = try ledger.counts()["device"] ?? 0

    // Compliance of the whole college. The register: for every product edition the reports
    // hold, a campus pool of 6,000 seats and 150 seats in each of the first 20 departments, so
    // some departments are covered, some draw on the pool and the pool runs out (every path of
    // the seat order is taken).
    let service = LedgerService(ledger: ledger)
    let day = "2026-12-01"
    let bare = try service.compliance(ComplianceQuery(day: day), scope: .everything)
    var editions: [(String, String)] = []
    for r in bare where r.category != "crack" && !editions.contains(where: { $0 == (r.product, r.edition) }) {
        editions.append((r.product, r.edition))
    }
    var register: [(line: Int, entitlement: Entitlement)] = []
    for (product, edition) in editions {
        register.append(
            (
                register.count + 2,
                Entitlement(
                    product: product, edition: edition.isEmpty ? nil : edition, seats: 6_000, contract: "BENCH-POOL")
            ))
        for d in 0..<20 {
            register.append(
                (
                    register.count + 2,
                    Entitlement(
                        product: product, edition: edition.isEmpty ? nil : edition, seats: 150,
                        department: String(format: "D%02d", d), validTo: "2027-06-30", contract: "BENCH-D\(d)")
                ))
        }
    }
    try ledger.replaceLicenses(register, file: "bench-licences.csv")
    var complianceTimes: [Double] = []
    var rows: [ComplianceOutput] = []
    for _ in 0..<options.complianceRuns {
        let s = now()
        rows = try service.compliance(ComplianceQuery(day: day), scope: .everything)
        complianceTimes.append(now() - s)
    }
    let complianceMedian = median(complianceTimes)
    // The compliance workbook (`compliance --format xlsx`): the use case, the layout and the
    // file, from the query on; and the college report's workbook (`report --format xlsx`).
    let book = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString).xlsx").path
    defer { try? FileManager.default.removeItem(atPath: book) }
    var xlsxTimes: [Double] = []
    var reportTimes: [Double] = []
    var bookBytes = 0
    for _ in 0..<options.complianceRuns {
        var s = now()
        let sheets = ReportLayout.complianceSheets(
            try service.compliance(ComplianceQuery(day: day), scope: .everything), language: .zh)
        try Workbook.write(sheets, to: book)
        xlsxTimes.append(now() - s)
        bookBytes = (try? FileManager.default.attributesOfItem(atPath: book)[.size] as? Int) ?? 0
        s = now()
        let report = try service.collegeReport(ReportQuery(day: day), scope: .everything)
        try Workbook.write(ReportLayout.college(report, language: .zh).sheets, to: book)
        reportTimes.append(now() - s)
    }
    let xlsxMedian = median(xlsxTimes)
    let reportMedian = median(reportTimes)
    let complianceRSS = peakRSSMB()
    let installs = rows.filter { $0.category != "crack" }.reduce(0) { $0 + $1.installs }
    let unlicensed = rows.filter { $0.status == "unlicensed" }.count

    print("endpoint benchmark: \(targets.count) reports of \(options.programs) programs into \(devices) devices")
    printRow(["measure", "ours", "target", "ok"])
    printRow(["report import (reports/s)", String(format: "%.0f", rate), ">= 200", rate >= 200 ? "yes" : "NO"])
    printRow(["import wall time (s)", String(format: "%.2f", importSeconds), "-", ""])
    printRow([
        "reports that joined a scanned device", "\(joined)/\(targets.count)", "all",
        joined == targets.count ? "yes" : "NO",
    ])
    printRow(["peak RSS (MB)", String(format: "%.0f", rss), "< 300", rss < 300 ? "yes" : "NO"])
    printRow([
        "posture, \(judged) PCs of 5,000 (ms, median)", String(format: "%.1f", postureMedian), "<= 100",
        postureMedian <= 100 ? "yes" : "NO",
    ])
    printRow(["  of which failing", String(failing), "-", ""])
    printRow([
        "compliance, college (s, median)", String(format: "%.2f", complianceMedian), "<= 2",
        complianceMedian <= 2 ? "yes" : "NO",
    ])
    printRow([
        "compliance workbook, college (s, median)", String(format: "%.2f", xlsxMedian), "<= 5",
        xlsxMedian <= 5 ? "yes" : "NO",
    ])
    printRow(["report workbook, college (s, median)", String(format: "%.2f", reportMedian), "-", ""])
    printRow([
        "peak RSS after compliance and workbooks (MB)", String(format: "%.0f", complianceRSS), "< 300",
        complianceRSS < 300 ? "yes" : "NO",
    ])
    print(
        "\ncompliance: \(rows.count) rows, \(installs) installs, \(unlicensed) rows unlicensed, \(register.count) licences; runs (s): "
            + complianceTimes.map { String(format: "%.2f", $0) }.joined(separator: " · ")
            + "; compliance workbook \(bookBytes / 1024) KB, runs (s): "
            + xlsxTimes.map { String(format: "%.2f", $0) }.joined(separator: " · "))
    let perReport = { (seconds: Double) in String(format: "%.2f", seconds / Double(targets.count) * 1000) }
    print(
        "\nwhere the import time goes (ms per report): parse \(perReport(parseSeconds)), store and commit \(perReport(storeSeconds)), the rest (building the test report) \(perReport(importSeconds - parseSeconds - storeSeconds))"
    )
}
