import Foundation

/// The language of a report's labels: Chinese by default, English on request. Values (product
/// names, host names, department names) stay as the ledger holds them.
public enum ReportLanguage: String, CaseIterable, Codable, Sendable {
    case zh, en

    /// The label in this language.
    public func pick(_ zh: String, _ en: String) -> String { self == .zh ? zh : en }
}

/// One bar of a chart: a label and a value, with the whole it is part of for a share.
public struct ReportBar: Equatable, Sendable {
    public var label: String
    public var value: Double
    /// For a share chart: the whole (the bar is `value / of`); nil for a count.
    public var of: Double?
    /// A mark on the bar's scale (a target share), nil for none.
    public var target: Double?

    public init(label: String, value: Double, of: Double? = nil, target: Double? = nil) {
        self.label = label
        self.value = value
        self.of = of
        self.target = target
    }

    /// The share 0…1 (a count bar: nil).
    public var share: Double? {
        guard let of else { return nil }
        return of > 0 ? min(max(value / of, 0), 1) : 0
    }
}

/// A horizontal bar chart, drawn as SVG on the server.
public struct ReportChart: Equatable, Sendable {
    public var title: String
    public var bars: [ReportBar]

    public init(title: String, bars: [ReportBar]) {
        self.title = title
        self.bars = bars
    }
}

/// One part of a report: a heading, a few lines of text, charts and tables.
public struct ReportSection: Sendable {
    public var title: String
    public var lines: [String]
    public var charts: [ReportChart]
    public var tables: [ReportSheet]

    public init(title: String, lines: [String] = [], charts: [ReportChart] = [], tables: [ReportSheet] = []) {
        self.title = title
        self.lines = lines
        self.charts = charts
        self.tables = tables
    }
}

/// A whole report, rendered as a printable HTML page (`HTMLReport`), an XLSX workbook (its
/// tables, one sheet each: `Workbook`) or CSV files (one per table).
public struct ReportDocument: Sendable {
    public var title: String
    public var subtitle: String
    public var language: ReportLanguage
    public var sections: [ReportSection]

    public init(title: String, subtitle: String, language: ReportLanguage, sections: [ReportSection]) {
        self.title = title
        self.subtitle = subtitle
        self.language = language
        self.sections = sections
    }

    /// Every table of the report, in order (the workbook's sheets).
    public var sheets: [ReportSheet] { sections.flatMap(\.tables) }
}
