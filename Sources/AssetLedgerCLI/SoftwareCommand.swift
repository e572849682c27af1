import ArgumentParser
import Foundation
import Ingest
import LedgerModel
import LedgerStore

/// The software catalog to classify with: the user's files first, then the shipped one.
struct CatalogOptions: ParsableArguments {
    @Option(name: .customLong("catalog"), help: "Extra catalog rule file (read before the shipped one); repeatable.")
    var files: [String] = []

    func load() throws -> SoftwareCatalog {
        var rules: [SoftwareRule] = []
        for file in files { rules += try CatalogFile.read(try readInput(file), file: file) }
        guard let shipped = ScannerData.locate("software-catalog.tsv") else {
            throw LedgerError("scanners/software-catalog.tsv not found (set ASSETLEDGER_DATA to the scanners folder)")
        }
        rules += try CatalogFile.read(try readInput(shipped), file: shipped)
        return SoftwareCatalog(rules: rules)
    }
}

struct SoftwareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "software", abstract: "Installed software, classified by the software catalog.",
        subcommands: [List.self, Unknown.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Products installed in scope, with category, license class, domestic flag and device count.")
        @OptionGroup var options: LedgerOptions
        @OptionGroup var catalog: CatalogOptions
        @Option(help: "Department code.") var dept: String?
        @Option(help: "table, csv or json.") var format: OutputFormat = .table

        func run() async throws {
            let catalog = try catalog.load()
            let titles = try options.open().softwareTitles(DeviceFilter(department: dept))
            var products: [SoftwareProduct: (devices: Int, titles: Int)] = [:]
            for t in titles {
                guard let hit = catalog.classify(name: t.name, publisher: t.publisher, source: t.source) else {
                    continue
                }
                products[hit.product, default: (0, 0)].devices += t.devices
                products[hit.product, default: (0, 0)].titles += 1
            }
            let rows = products.sorted {
                $0.value.devices != $1.value.devices
                    ? $0.value.devices > $1.value.devices : $0.key.product < $1.key.product
            }
            let header = ["product", "vendor", "category", "license", "domestic", "installs", "titles"]
            let cells = rows.map { p, n in
                [
                    p.product, p.vendor, p.category.rawValue, p.license.rawValue, p.domestic ? "yes" : "no",
                    String(n.devices),
                    String(n.titles),
                ]
            }
            try emit(format, header: header, rows: cells) {
                rows.map { p, n -> [String: Any] in
                    [
                        "product": p.product, "vendor": p.vendor, "category": p.category.rawValue,
                        "license": p.license.rawValue, "domestic": p.domestic, "installs": n.devices,
                        "titles": n.titles,
                    ]
                }
            }
        }
    }

    struct Unknown: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Installed titles no catalog rule knows, most widespread first: the list to review.")
        @OptionGroup var options: LedgerOptions
        @OptionGroup var catalog: CatalogOptions
        @Option(help: "Department code.") var dept: String?
        @Option(help: "table, csv or json.") var format: OutputFormat = .table

        func run() async throws {
            let catalog = try catalog.load()
            let unknown = try options.open().softwareTitles(DeviceFilter(department: dept)).filter {
                catalog.classify(name: $0.name, publisher: $0.publisher, source: $0.source) == nil
            }
            let header = ["title", "publisher", "source", "devices"]
            let cells = unknown.map { [$0.name, $0.publisher ?? "", $0.source ?? "", String($0.devices)] }
            try emit(format, header: header, rows: cells, footer: "\(unknown.count) unknown title(s)") {
                unknown.map {
                    [
                        "title": $0.name, "publisher": $0.publisher ?? NSNull(), "source": $0.source ?? NSNull(),
                        "devices": $0.devices,
                    ]
                }
            }
        }
    }
}
