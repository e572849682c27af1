import Foundation
import TestSupport
import Testing

@testable import AssetLedgerCLI

/// `inspection summary|detail|maintenance|workbook` as a user types them: the three ledgers'
/// headers, CSV with BOM and guarded formulas, and the workbook read back by openpyxl.
@Suite struct InspectionCLITests {
    /// One PC of CWC (198.18.11) reporting twice: Windows 10 Pro, WPS Office, and a title from
    /// the network that looks like a formula; the second report upgrades WPS and removes it.
    static func report(_ at: String, _ software: String) -> String {
        """
        {"schema": "assetledger-endpoint-report", "schema_version": 1, "agent": "test 1", "collected_at": "\(at)",
         "identity": {"hostname": "cwc-07", "serials": ["PF2INSPECT"], "ips": ["198.18.11.7"]},
         "os": {"name": "Microsoft Windows 10 Pro", "version": "10"},
         "software": [\(software)]}
        """
    }

    static func session() async throws -> Session {
        let s = try Session()
        let departments = try s.write(
            "d.csv",
            """
            code,name,name_en,kind,parent_code,leader,liaison,liaison_phone,liaison_email,sysadmin,sysadmin_phone,sysadmin_email
            CWC,财务处,,职能部门,,,,,,,,
            DZB,党政办公室,,职能部门,,,,,,,,
            """)
        try await s.run("dept", "import", departments)
        try await s.run(
            "subnet", "import", try s.write("s.csv", "cidr,department_code,site,vlan,note\n198.18.11.0/24,CWC,,,\n"))
        let wps = #"{"name": "WPS Office 2019 专业版", "version": "11.1", "source": "registry"}"#
        let formula = #"{"name": "=cmd|' /C calc'!A0", "version": "1", "source": "registry"}"#
        try await s.run("import", try s.write("r1.json", Self.report("2026-11-01T02:00:00Z", wps + ", " + formula)))
        let upgraded = #"{"name": "WPS Office 2019 专业版", "version": "11.2", "source": "registry"}"#
        try await s.run("import", try s.write("r2.json", Self.report("2026-11-03T02:00:00Z", upgraded)))
        let licences = try s.write(
            "l.csv",
            """
            product,edition,versions,metric,seats,department_code,valid_from,valid_to,source,contract,supplier,amount_cny,note
            Microsoft Windows,Pro,,device,5,CWC,,,volume,HT-CWC-1,,,
            """)
        try await s.run("license", "import", licences)
        return s
    }

    @Test func theThreeLedgersPrintInChineseAndEnglish() async throws {
        let s = try await Self.session()
        let summary = try await s.run("inspection", "summary", "--at", "2026-11-10")
        #expect(summary.hasPrefix("软件类别 ") && summary.contains("未授权数量"))
        #expect(summary.contains("HT-CWC-1") && summary.contains("2 row(s), 1 unlicensed install(s)"))
        let csv = try await s.run("inspection", "detail", "--at", "2026-11-10", "--lang", "en", "--format", "csv")
        #expect(
            csv.hasPrefix(
                "\u{FEFF}device,host name,department,department name,responsible,category,product,edition,version,licensed,licence source,contract,home edition,evaluation\r\n"
            ))
        #expect(csv.contains(",cwc-07,CWC,财务处,,操作系统(PC),Microsoft Windows,Pro,10,yes,volume,HT-CWC-1,no,no\r\n"))
        #expect(csv.contains(",办公软件,WPS Office,Pro,2019,no,,,no,no\r\n"))
        // The removed title from the network stays inert text in CSV: the apostrophe guard.
        let events = try await s.run("inspection", "maintenance", "--format", "csv", "--from", "2026-11-03")
        #expect(events.hasPrefix("\u{FEFF}设备编号,计算机名,部门代码,部门名称,软件名称,发布者,版本号,原版本号,操作,日期,安装日期,报告编号\r\n"))
        #expect(events.contains(",cwc-07,CWC,财务处,'=cmd|' /C calc'!A0,,1,,removed,2026-11-03T02:00:00Z,,"))
        #expect(events.contains(",WPS Office 2019 专业版,,11.2,11.1,upgraded,"))
        let json = try await s.run("inspection", "maintenance", "--format", "json", "--to", "2026-11-02")
        #expect(json.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]" || json.contains("[]"))
        #expect(await s.usageError("inspection", "maintenance", "--from", "2026-11-31x") != nil)
        #expect(await s.usageError("inspection", "summary", "--format", "xlsx")?.contains("--output") == true)
    }

    @Test func theWorkbookHasOneSheetPerLedgerWithChineseHeaders() async throws {
        let s = try await Self.session()
        let book = s.dir.appendingPathComponent("inspection.xlsx").path
        let out = try await s.run("inspection", "workbook", "--at", "2026-11-10", "-o", book)
        #expect(out.contains("3 sheet(s), 6 row(s)"))
        let read = try Self.read(book)
        #expect(
            read == [
                "软件使用情况汇总表|A2|软件类别,软件名称,软件版本,部门代码,部门名称,安装数量,授权数量,已用授权,未授权数量,授权来源,合同编号,是否国产,状态"
                    + "|操作系统(PC),Microsoft Windows,Pro,CWC,财务处,1,5,1,0,volume,HT-CWC-1,否,over_licensed"
                    + "|办公软件,WPS Office,Pro,CWC,财务处,1,0,0,1,,,是,unlicensed",
                "软件使用情况明细表|A2|设备编号,计算机名,部门代码,部门名称,责任人,软件类别,软件名称,软件版本,版本号,是否正版,授权来源,合同编号,家庭版,评估版"
                    + "|1,cwc-07,CWC,财务处,,操作系统(PC),Microsoft Windows,Pro,10,是,volume,HT-CWC-1,否,否"
                    + "|1,cwc-07,CWC,财务处,,办公软件,WPS Office,Pro,2019,否,,,否,否",
                "软件安装维护情况明细表|A2|设备编号,计算机名,部门代码,部门名称,软件名称,发布者,版本号,原版本号,操作,日期,安装日期,报告编号"
                    + "|1,cwc-07,CWC,财务处,=cmd|' /C calc'!A0,,1,,removed,2026-11-03T02:00:00Z,,2"
                    + "|1,cwc-07,CWC,财务处,WPS Office 2019 专业版,,11.2,11.1,upgraded,2026-11-03T02:00:00Z,,2",
            ])
        let en = s.dir.appendingPathComponent("en.xlsx").path
        try await s.run("inspection", "workbook", "--lang", "en", "--output", en)
        #expect(
            try Self.read(en).map { $0.prefix { $0 != "|" } } == [
                "Software use summary", "Software use detail", "Software maintenance",
            ])
    }

    /// Each sheet as openpyxl reads it: `title|frozen cell|header|row|row...`; text cells as
    /// written (a formula would come back as its text with data_type "f": refused here).
    static func read(_ path: String) throws -> [String] {
        try Programs.openpyxlSheets(path).map { sheet in
            #expect(!sheet.types.joined().contains("f"), "formula cell in \(sheet.title)")
            return ([sheet.title, sheet.frozen] + sheet.rows.map { $0.joined(separator: ",") }).joined(separator: "|")
        }
    }
}
