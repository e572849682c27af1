import ArgumentParser
import Foundation
import LedgerApp

struct FingerprintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fingerprint", abstract: "Try the fingerprint rules on a recording or a capture.",
        subcommands: [Test.self])

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show which rules fire on a file and what wins (no ledger, nothing sent).",
            discussion: """
                FILE is an snmpsim recording (.snmprec: one device, the signals a scan reads from \
                its agent, the derived structure included) or a capture (pcap/pcapng: every host \
                heard, as listen hears them). Rules: scanners/fingerprints.tsv, then each \
                --fingerprints file. A device no rule gives a class lists the signals it had: write \
                a rule on one of them.
                """)
        @Argument(help: "A .snmprec recording or a pcap/pcapng capture.") var file: String
        @Option(help: "Extra fingerprint rules (same format as scanners/fingerprints.tsv); repeatable.")
        var fingerprints: [String] = []
        @Option(help: "table or json (FingerprintTestOutput).") var format: ReportFormat = .table

        func run() async throws {
            let out = try LedgerService.testFingerprint(file: file, fingerprints: fingerprints)
            guard format == .table else {
                Console.current.write(try json(out))
                return
            }
            var text = "\(out.file) (\(out.input)): \(out.hosts.count) host(s)\n"
            for h in out.hosts {
                let v = h.verdict
                text +=
                    "\n" + ([h.ip, h.mac].compactMap { $0 }.joined(separator: " ").nonEmpty ?? "the recorded agent")
                text += "\n  verdict: class \(v.deviceClass ?? "unknown")\(v.kind.map { " (\($0))" } ?? "")"
                for (label, value) in [
                    ("vendor", v.vendor), ("model", v.model), ("os", v.os), ("firmware", v.firmware),
                    ("fax", v.faxCapable.map { $0 ? "yes" : "no" }),
                ] {
                    if let value { text += ", \(label) \(value)" }
                }
                text += "\n  rules that fired:\n"
                if h.fired.isEmpty { text += "    (none)\n" }
                for e in h.fired.sorted(by: { $0.certainty > $1.certainty }) {
                    text += "    \(String(e.certainty).leftPadded(3))  \(e.field)=\(e.value)  \(e.reason)\n"
                }
                if !h.conflicts.isEmpty {
                    text += "  conflicts:\n" + h.conflicts.map { "    \($0)\n" }.joined()
                }
                text += "  signals:\n"
                for (name, values) in h.signals.sorted(by: { $0.key < $1.key }) {
                    text += "    \(name) = \(values.map { String($0.prefix(120)) }.joined(separator: " | "))\n"
                }
            }
            Console.current.write(text)
        }
    }
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
    fileprivate func leftPadded(_ width: Int) -> String {
        String(repeating: " ", count: max(0, width - count)) + self
    }
}
