import ArgumentParser
import Foundation
import LedgerApp
import LedgerModel

/// The software catalog to classify with: the user's files first, then the shipped one.
struct CatalogOptions: ParsableArguments {
    @Option(name: .customLong("catalog"), help: "Extra catalog rule file (read before the shipped one); repeatable.")
    var files: [String] = []
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
            let service = try options.service()
            let products = try service.softwareProducts(
                department: dept, catalog: try service.softwareCatalog(extra: catalog.files, scope: .everything),
                scope: .everything)
            let header = ["product", "vendor", "category", "license", "domestic", "installs", "titles"]
            let cells = products.map { p in
                [
                    p.product, p.vendor, p.category, p.license, p.domestic ? "yes" : "no", String(p.installs),
                    String(p.titles),
                ]
            }
            try emit(format, header: header, rows: cells, json: products)
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
            let service = try options.service()
            let unknown = try service.unknownSoftware(
                department: dept, catalog: try service.softwareCatalog(extra: catalog.files, scope: .everything),
                scope: .everything)
            let header = ["title", "publisher", "source", "devices"]
            let cells = unknown.map { [$0.title, $0.publisher ?? "", $0.source ?? "", String($0.devices)] }
            try emit(format, header: header, rows: cells, footer: "\(unknown.count) unknown title(s)", json: unknown)
        }
    }
}
