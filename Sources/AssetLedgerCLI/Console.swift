import Foundation
import Ingest
import LedgerModel

/// Where commands write. Tests swap in a buffer with `Console.$current.withValue`.
public final class Console: @unchecked Sendable {
    @TaskLocal public static var current = Console()

    private let lock = NSLock()
    private var buffer: String?
    private var input: [String]?

    /// Writes to standard output.
    public init() { buffer = nil }

    /// Collects output in memory.
    public static func capturing() -> Console {
        let c = Console()
        c.buffer = ""
        return c
    }

    /// Collects output in memory and answers `readLine` with these lines (tests).
    public static func capturing(input: [String]) -> Console {
        let c = capturing()
        c.input = input
        return c
    }

    public var captured: String { lock.withLock { buffer ?? "" } }

    /// One line of standard input (or of the test's input), without its line end; nil at the end.
    public func readLine() -> String? {
        lock.withLock {
            if input != nil { return input!.isEmpty ? nil : input!.removeFirst() }
            return Swift.readLine(strippingNewline: true)
        }
    }

    public func write(_ text: String) {
        lock.withLock {
            if buffer != nil {
                buffer! += text
            } else {
                Self.standardOutput(Data(text.utf8))
            }
        }
    }

    /// Writes to standard output. A reader that went away (`| head`) ends the command quietly
    /// with 141, as a Unix tool killed by SIGPIPE does; any other write failure (a full disk)
    /// is said on standard error, exit 1. Never a crash.
    static func standardOutput(_ data: Data) {
        do {
            try FileHandle.standardOutput.write(contentsOf: data)
        } catch {
            let posix = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
            if posix?.domain == NSPOSIXErrorDomain && posix?.code == Int(EPIPE) { exit(141) }
            warn("error: cannot write the output: \(error.localizedDescription)")
            exit(1)
        }
    }

    /// A line on standard error (a warning); a closed standard error loses it, nothing more.
    static func warn(_ line: String) {
        try? FileHandle.standardError.write(contentsOf: Data((line + "\n").utf8))
    }

    public func line(_ text: String = "") { write(text + "\n") }
}

/// Text that came from outside (a device, a file) made safe for a terminal.
func terminalSafe(_ s: String) -> String { Text.terminalSafe(s) }

/// Display width in a terminal: CJK and other wide characters take two cells.
func displayWidth(_ s: String) -> Int {
    s.unicodeScalars.reduce(0) { width, scalar in
        let v = scalar.value
        let wide =
            (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
        return width + (wide ? 2 : 1)
    }
}

/// A plain aligned text table.
func renderTable(header: [String], rows: [[String]]) -> String {
    let safeRows = rows.map { $0.map(terminalSafe) }
    var widths = header.map(displayWidth)
    for row in safeRows {
        for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], displayWidth(cell)) }
    }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { i, c in
            i == cells.count - 1 ? c : c + String(repeating: " ", count: widths[i] - displayWidth(c))
        }.joined(separator: "  ")
    }
    return ([line(header)] + safeRows.map(line)).joined(separator: "\n") + "\n"
}

/// Writes one outcome: a line of text, or the value as JSON.
func emit(_ format: ReportFormat, line: String, json value: some Encodable) throws {
    Console.current.write(format == .json ? try json(value) : line + "\n")
}

/// Writes rows in the chosen format: an aligned table (with an optional last line), CSV for
/// Excel, or the output values as JSON.
func emit(
    _ format: OutputFormat, header: [String], rows: [[String]], footer: String? = nil, json value: some Encodable
) throws {
    switch format {
    case .table: Console.current.write(renderTable(header: header, rows: rows) + (footer.map { $0 + "\n" } ?? ""))
    case .csv: Console.current.write(CSVWriter.document(header: header, rows: rows))
    case .json: Console.current.write(try json(value))
    }
}
