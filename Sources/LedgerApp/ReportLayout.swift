import Foundation
import LedgerModel
import Reports

/// Lays out a use case's output as a `ReportDocument` (sections, charts, tables) in the
/// chosen language, for the HTML page, the workbook and the CSV files alike. The CLI and the
/// web console render the same document.
public enum ReportLayout {
    public static func classLabel(_ raw: String, _ lang: ReportLanguage) -> String {
        lang == .zh ? DeviceClass(rawValue: raw)?.label ?? raw : raw
    }

    public static func categoryLabel(_ raw: String, _ lang: ReportLanguage) -> String {
        let en: [String: String] = [
            "os_pc": "Operating systems (PC)", "os_server": "Operating systems (server)", "office": "Office software",
            "antivirus": "Antivirus", "database": "Databases", "server": "Server software", "tool": "Tools",
            "other": "Other", "crack": "Activation cracks",
        ]
        if lang == .en { return en[raw] ?? raw }
        if raw == "crack" { return "激活破解工具" }
        return SoftwareCategory(rawValue: raw)?.label ?? raw
    }

    static func reasonLabel(_ raw: String, _ lang: ReportLanguage) -> String {
        let zh = ["unlicensed": "无授权", "expired": "授权已过期", "home_edition": "家庭版（非单位正版）", "crack": "激活破解工具"]
        let en = [
            "unlicensed": "no licence", "expired": "licence expired", "home_edition": "home edition", "crack": "crack",
        ]
        return (lang == .zh ? zh[raw] : en[raw]) ?? raw
    }

    /// The college (or department) report.
    public static func college(_ r: CollegeReportOutput, language lang: ReportLanguage) -> ReportDocument {
        let whom = r.departmentName.map { "\($0)（\(r.department ?? "")）" } ?? lang.pick("全校", "the whole college")
        let title = lang.pick("软件正版化工作报告", "Software legalization report")
        let subtitle = lang.pick("范围：\(whom)　统计日期：\(r.day)", "Scope: \(whom) · as of \(r.day)")
        var sections: [ReportSection] = []

        // Devices by class.
        var classTotals: [String: Int] = [:]
        for c in r.devicesByClass { classTotals[c.deviceClass, default: 0] += c.devices }
        let classes = DeviceClass.allCases.map(\.rawValue).filter { classTotals[$0] != nil }
        sections.append(
            ReportSection(
                title: lang.pick("设备分类统计", "Devices by class"),
                lines: [lang.pick("设备总数：\(r.devices) 台", "Devices: \(r.devices)")],
                charts: [
                    ReportChart(
                        title: lang.pick("各类设备数量", "Devices per class"),
                        bars: classes.map { ReportBar(label: classLabel($0, lang), value: Double(classTotals[$0]!)) })
                ],
                tables: [
                    ReportSheet(
                        name: lang.pick("设备分类", "Devices by class"),
                        header: [lang.pick("部门代码", "Department"), lang.pick("部门名称", "Name")]
                            + classes.map { classLabel($0, lang) } + [lang.pick("合计", "Total")],
                        rows: departmentsOf(r.devicesByClass.map(\.department)).map { d in
                            let mine = r.devicesByClass.filter { $0.department == d }
                            let counts = classes.map { c in mine.first { $0.deviceClass == c }?.devices ?? 0 }
                            return [
                                .text(d ?? lang.pick("（未分配）", "(unassigned)")),
                                .text(mine.first?.name ?? ""),
                            ] + counts.map(ReportCell.int) + [.int(counts.reduce(0, +))]
                        })
                ]))

        // Compliance rates.
        let rateHeader = [
            lang.pick("类别", "Category"), lang.pick("安装数", "Installs"), lang.pick("已授权", "Licensed"),
            lang.pick("未授权", "Unlicensed"), lang.pick("正版率", "Rate"),
        ]
        func rateCells(_ c: ComplianceRateOutput) -> [ReportCell] {
            [
                .text(categoryLabel(c.category, lang)), .int(c.installs), .int(c.licensed), .int(c.unlicensed),
                .share(c.rate),
            ]
        }
        let installs = r.compliance.reduce(0) { $0 + $1.installs }
        let licensed = r.compliance.reduce(0) { $0 + $1.licensed }
        sections.append(
            ReportSection(
                title: lang.pick("软件正版化情况", "Licence compliance"),
                lines: [
                    lang.pick(
                        "纳入统计的安装 \(installs) 个，已授权 \(licensed) 个，正版率 \(HTMLReport.percent(installs == 0 ? 1 : Double(licensed) / Double(installs)))。",
                        "\(installs) installs counted, \(licensed) licensed: \(HTMLReport.percent(installs == 0 ? 1 : Double(licensed) / Double(installs)))."
                    )
                ],
                charts: [
                    ReportChart(
                        title: lang.pick("各类软件正版率", "Licensed share per category"),
                        bars: r.compliance.map {
                            ReportBar(
                                label: categoryLabel($0.category, lang), value: Double($0.licensed),
                                of: Double($0.installs),
                                target: 1)
                        })
                ],
                tables: [
                    ReportSheet(
                        name: lang.pick("正版率", "Compliance rates"), header: rateHeader,
                        rows: r.compliance.map(rateCells)),
                    ReportSheet(
                        name: lang.pick("各部门正版率", "Rates by department"),
                        header: [lang.pick("部门代码", "Department")] + rateHeader,
                        rows: r.complianceByDepartment.map {
                            [.text($0.department ?? lang.pick("（未分配）", "(unassigned)"))] + rateCells($0)
                        }),
                    ReportSheet(
                        name: lang.pick("未授权安装", "Unlicensed installs"),
                        header: [
                            lang.pick("部门代码", "Department"), lang.pick("设备编号", "Device"), lang.pick("主机名", "Host name"),
                            lang.pick("类别", "Category"), lang.pick("软件", "Product"), lang.pick("版本", "Edition"),
                            lang.pick("原因", "Reason"),
                        ],
                        rows: r.unlicensed.map {
                            [
                                .text($0.department ?? ""), .int(Int($0.device)), .text($0.hostname ?? ""),
                                .text(categoryLabel($0.category, lang)), .text($0.product), .text($0.edition),
                                .text(reasonLabel($0.reason, lang)),
                            ]
                        }),
                ]))

        // Self-check progress.
        if let s = r.selfCheck {
            let d = s.departments
            let signed = d.filter { $0.signedBy != nil }.count
            sections.append(
                ReportSection(
                    title: lang.pick("自查进度", "Self-check progress"),
                    lines: [
                        lang.pick(
                            "自查活动：\(s.campaign.name)（截止 \(s.campaign.deadline)，\(s.campaign.status == "closed" ? "已结束" : "进行中")）；\(signed)/\(d.count) 个部门已签字确认。",
                            "Campaign: \(s.campaign.name) (deadline \(s.campaign.deadline), \(s.campaign.status)); \(signed) of \(d.count) departments signed off."
                        )
                    ],
                    charts: [
                        ReportChart(
                            title: lang.pick("各部门问题整改率", "Findings resolved per department"),
                            bars: d.filter { $0.findings > 0 }.map {
                                ReportBar(
                                    label: $0.name, value: Double($0.resolved), of: Double($0.findings), target: 1)
                            })
                    ],
                    tables: [
                        ReportSheet(
                            name: lang.pick("自查进度", "Self-check"),
                            header: [
                                lang.pick("部门代码", "Department"), lang.pick("部门名称", "Name"),
                                lang.pick("问题数", "Findings"),
                                lang.pick("未处理", "Open"), lang.pick("已整改", "Resolved"), lang.pick("重新打开", "Reopened"),
                                lang.pick("电脑数", "PCs"), lang.pick("已检查电脑", "PCs checked"),
                                lang.pick("签字人", "Signed by"),
                                lang.pick("签字时间", "Signed at"), lang.pick("抽查数", "Sampled"),
                                lang.pick("抽查合格", "Sample passed"),
                                lang.pick("抽查不合格", "Sample failed"),
                            ],
                            rows: d.map {
                                [
                                    .text($0.department), .text($0.name), .int($0.findings), .int($0.open),
                                    .int($0.resolved),
                                    .int($0.reopened), .int($0.pcs), .int($0.pcsChecked), .text($0.signedBy ?? ""),
                                    .text($0.signedAt ?? ""), .int($0.sampled), .int($0.samplePassed),
                                    .int($0.sampleFailed),
                                ]
                            })
                    ]))
        } else {
            sections.append(
                ReportSection(
                    title: lang.pick("自查进度", "Self-check progress"),
                    lines: [lang.pick("尚未开展自查活动。", "No self-check campaign has been opened.")]))
        }

        // Commitments.
        let staff = r.commitments.reduce(0) { $0 + $1.staff }
        let signedStaff = r.commitments.reduce(0) { $0 + $1.signed }
        sections.append(
            ReportSection(
                title: lang.pick("正版软件使用承诺书签署情况", "Licensed-software commitments"),
                lines: [
                    lang.pick(
                        "\(r.commitmentYear) 年承诺书：在册 \(staff) 人，已签署 \(signedStaff) 人。",
                        "\(r.commitmentYear) commitment: \(signedStaff) of \(staff) staff signed.")
                ],
                charts: [
                    ReportChart(
                        title: lang.pick("各部门签署率", "Signed per department"),
                        bars: r.commitments.map {
                            ReportBar(label: $0.name, value: Double($0.signed), of: Double($0.staff), target: 1)
                        })
                ],
                tables: [
                    ReportSheet(
                        name: lang.pick("承诺书签署", "Commitments"),
                        header: [
                            lang.pick("部门代码", "Department"), lang.pick("部门名称", "Name"), lang.pick("在册人数", "Staff"),
                            lang.pick("已签署", "Signed"), lang.pick("未签署", "Unsigned"), lang.pick("签署率", "Share"),
                        ],
                        rows: r.commitments.map {
                            [
                                .text($0.department), .text($0.name), .int($0.staff), .int($0.signed),
                                .int($0.unsigned), .share($0.share),
                            ]
                        })
                ]))
        sections.append(securitySection(r, lang))
        sections.append(domesticSection(r.domestic, lang))
        sections.append(usageSection(r.usageSummary, lang))
        return ReportDocument(title: title, subtitle: subtitle, language: lang, sections: sections)
    }

    /// 网络安全检查: the newest security check's results per department.
    static func securitySection(_ r: CollegeReportOutput, _ lang: ReportLanguage) -> ReportSection {
        guard let c = r.securityCheck else {
            return ReportSection(
                title: lang.pick("网络安全检查", "Security check"),
                lines: [lang.pick("尚未开展网络安全检查。", "No security check has been opened.")])
        }
        let rows = r.securityCheckResults
        let failing = rows.reduce(0) { $0 + $1.devicesFailing }
        let devices = rows.reduce(0) { $0 + $1.devices }
        return ReportSection(
            title: lang.pick("网络安全检查", "Security check"),
            lines: [
                lang.pick(
                    "检查活动：\(c.name)（截止 \(c.deadline)，\(c.status == "closed" ? "已结束" : "进行中")）；\(devices) 台设备中 \(failing) 台有不合格项。",
                    "Campaign: \(c.name) (deadline \(c.deadline), \(c.status)); \(failing) of \(devices) devices fail an item."
                )
            ],
            charts: [
                ReportChart(
                    title: lang.pick("各部门检查项合格率", "Items passed per department"),
                    bars: rows.filter { $0.passed + $0.failed > 0 }.map {
                        ReportBar(
                            label: $0.name ?? lang.pick("（未分配）", "(unassigned)"), value: Double($0.passed),
                            of: Double($0.passed + $0.failed), target: 1)
                    })
            ],
            tables: [
                ReportSheet(
                    name: lang.pick("网络安全检查", "Security check"),
                    header: [
                        lang.pick("部门代码", "Department"), lang.pick("部门名称", "Name"), lang.pick("设备数", "Devices"),
                        lang.pick("检查项", "Items"), lang.pick("合格", "Passed"), lang.pick("不合格", "Failed"),
                        lang.pick("不适用", "N/A"), lang.pick("未检查", "Unanswered"),
                        lang.pick("有不合格项的设备", "Devices failing"),
                    ],
                    rows: rows.map {
                        [
                            .text($0.department ?? lang.pick("（未分配）", "(unassigned)")), .text($0.name ?? ""),
                            .int($0.devices), .int($0.items), .int($0.passed), .int($0.failed), .int($0.na),
                            .int($0.unanswered), .int($0.devicesFailing),
                        ]
                    })
            ])
    }

    static func measureLabel(_ raw: String, _ lang: ReportLanguage) -> String {
        switch raw {
        case "installs": lang.pick("软件安装", "software installs")
        case "spend": lang.pick("采购金额", "licence spend")
        case "devices": lang.pick("硬件设备", "hardware")
        default: raw
        }
    }

    /// 国产化率: each share against its target, and the counts behind it.
    static func domesticSection(_ rows: [DomesticShareOutput], _ lang: ReportLanguage) -> ReportSection {
        func label(_ d: DomesticShareOutput) -> String {
            "\(measureLabel(d.measure, lang)) · \(lang == .zh ? d.categoryLabel : d.category)"
                + (d.measure == "spend" ? " \(d.year.map(String.init) ?? lang.pick("未注明年份", "undated"))" : "")
        }
        let met = rows.filter { $0.met == true }.count
        let judged = rows.filter { $0.met != nil }.count
        return ReportSection(
            title: lang.pick("国产化率", "Domestic share"),
            lines: [
                lang.pick(
                    "\(judged) 项设有目标，\(met) 项达标。未识别厂商与虚拟机不计入分母。",
                    "\(met) of the \(judged) shares with a target meet it. Unknown makers and virtual machines are outside the share."
                )
            ],
            charts: [
                ReportChart(
                    title: lang.pick("国产化率与目标", "Domestic share against target"),
                    bars: rows.filter { $0.share != nil }.map {
                        ReportBar(label: label($0), value: $0.domestic, of: $0.domestic + $0.foreign, target: $0.target)
                    })
            ],
            tables: [
                ReportSheet(
                    name: lang.pick("国产化率", "Domestic share"),
                    header: [
                        lang.pick("统计口径", "Measure"), lang.pick("类别", "Category"), lang.pick("年度", "Year"),
                        lang.pick("国产", "Domestic"), lang.pick("非国产", "Foreign"), lang.pick("未识别", "Unknown"),
                        lang.pick("虚拟机", "Virtual"), lang.pick("国产化率", "Share"), lang.pick("目标", "Target"),
                        lang.pick("是否达标", "Met"),
                    ],
                    rows: rows.map { d in
                        [
                            .text(measureLabel(d.measure, lang)), .text(lang == .zh ? d.categoryLabel : d.category),
                            d.year.map { .int($0) } ?? .empty, .number(d.domestic), .number(d.foreign),
                            .number(d.unknown),
                            .number(d.virtual), d.share.map { .share($0) } ?? .empty,
                            d.target.map { .share($0) } ?? .empty,
                            .text(d.met.map { $0 ? lang.pick("是", "yes") : lang.pick("否", "no") } ?? ""),
                        ]
                    })
            ])
    }

    /// 软件使用情况汇总表: one row per product edition and department.
    static func usageSection(_ rows: [InspectionSummaryOutput], _ lang: ReportLanguage) -> ReportSection {
        ReportSection(
            title: lang.pick("软件使用情况汇总表", "Software usage summary"),
            tables: [
                ReportSheet(
                    name: lang.pick("软件使用情况汇总表", "Usage summary"),
                    header: [
                        lang.pick("软件类别", "Category"), lang.pick("软件名称", "Product"), lang.pick("软件版本", "Edition"),
                        lang.pick("部门代码", "Department"), lang.pick("安装数量", "Installs"), lang.pick("授权数量", "Entitled"),
                        lang.pick("未授权数量", "Unlicensed"), lang.pick("授权来源", "Licence sources"),
                        lang.pick("是否国产", "Domestic"), lang.pick("状态", "Status"),
                    ],
                    rows: rows.map { u in
                        [
                            .text(categoryLabel(u.category, lang)), .text(u.product), .text(u.edition),
                            .text(u.department ?? lang.pick("（全校）", "(campus)")), .int(u.installs), .int(u.entitled),
                            .int(u.unlicensed), .text(u.licenceSources.joined(separator: " ")),
                            .text(u.domestic ? lang.pick("是", "yes") : lang.pick("否", "no")), .text(u.status),
                        ]
                    })
            ])
    }

    /// `compliance --format xlsx`: the rows (devices counted, not listed) and one row per
    /// device behind them.
    public static func complianceSheets(_ rows: [ComplianceOutput], language lang: ReportLanguage) -> [ReportSheet] {
        let header = [
            lang.pick("类别", "category"), lang.pick("软件", "product"), lang.pick("版本", "edition"),
            lang.pick("部门", "department"), lang.pick("安装数", "installs"), lang.pick("授权数", "entitled"),
            lang.pick("差额", "delta"), lang.pick("状态", "status"), lang.pick("设备", "devices"),
        ]
        let summary = rows.map { r -> [ReportCell] in
            [
                .text(r.categoryLabel), .text(r.product), .text(r.edition), .text(r.department ?? "(campus)"),
                .int(r.installs), .int(r.entitled), .int(r.delta), .text(r.status), .int(r.devices.count),
            ]
        }
        var devices: [[ReportCell]] = []
        for r in rows {
            let unlicensed = Set(r.unlicensedDevices)
            let home = Set(r.homeEditionDevices)
            let evaluation = Set(r.evaluationDevices)
            for d in r.devices {
                let note = [home.contains(d) ? "home" : nil, evaluation.contains(d) ? "evaluation" : nil]
                    .compactMap { $0 }.joined(separator: " ")
                devices.append([
                    .text(r.categoryLabel), .text(r.product), .text(r.edition), .text(r.department ?? "(campus)"),
                    .number(Double(d)), .text(unlicensed.contains(d) ? "unlicensed" : "licensed"), .text(note),
                ])
            }
        }
        let deviceHeader = [
            lang.pick("类别", "category"), lang.pick("软件", "product"), lang.pick("版本", "edition"),
            lang.pick("部门", "department"), lang.pick("设备", "device"), lang.pick("授权", "licence"),
            lang.pick("备注", "note"),
        ]
        return [
            ReportSheet(name: lang.pick("合规情况", "Compliance"), header: header, rows: summary),
            ReportSheet(name: lang.pick("设备明细", "Devices"), header: deviceHeader, rows: devices),
        ]
    }

    /// Distinct departments in order, no department last.
    static func departmentsOf(_ codes: [String?]) -> [String?] {
        var seen = Set<String?>()
        let unique = codes.filter { seen.insert($0).inserted }
        return unique.filter { $0 != nil } + unique.filter { $0 == nil }
    }
}
