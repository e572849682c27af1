import Foundation

/// Real programs the tests drive (Python's openpyxl, headless Chromium), each run with a
/// deadline. A program that is missing fails the test with what installs it: these are
/// installed by scripts/install-deps.sh, never skipped.
public enum Programs {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public struct Result {
        public var status: Int32
        public var stdout: Data
        public var stderr: String
    }

    /// Runs the program (a path, or a name looked up in PATH through /usr/bin/env), killing it
    /// after `timeout` seconds.
    public static func run(_ program: String, _ arguments: [String], timeout: TimeInterval = 120) throws -> Result {
        let p = Process()
        if program.hasPrefix("/") {
            p.executableURL = URL(fileURLWithPath: program)
            p.arguments = arguments
        } else {
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = [program] + arguments
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("al-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // Files, not pipes: a chatty program cannot block on a full pipe while we wait.
        let (outURL, errURL) = (dir.appendingPathComponent("out"), dir.appendingPathComponent("err"))
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: outURL)
        p.standardError = try FileHandle(forWritingTo: errURL)
        try p.run()
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if p.isRunning {
            p.terminate()
            p.waitUntilExit()
            throw Failure(description: "\(program) did not finish within \(Int(timeout)) s")
        }
        p.waitUntilExit()
        return Result(
            status: p.terminationStatus, stdout: try Data(contentsOf: outURL),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// Reads an XLSX file with openpyxl (an independent reader): sheet names, cell values and
    /// types, the header row's boldness, frozen panes and column widths, as JSON.
    public static func openpyxl(_ path: String) throws -> [String: Any] {
        let script = """
            import json, sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            out = {"sheets": wb.sheetnames, "cells": {}, "types": {}, "bold": {}, "frozen": {}, "widths": {}}
            for ws in wb.worksheets:
                out["cells"][ws.title] = [[c.value for c in row] for row in ws.iter_rows()]
                out["types"][ws.title] = [[c.data_type for c in row] for row in ws.iter_rows()]
                out["bold"][ws.title] = [bool(c.font.b) for c in ws[1]]
                out["frozen"][ws.title] = ws.freeze_panes
                out["widths"][ws.title] = {k: v.width for k, v in ws.column_dimensions.items()}
            print(json.dumps(out))
            """
        let r = try run("python3", ["-c", script, path])
        guard r.status == 0 else {
            throw Failure(description: "python3/openpyxl failed (scripts/install-deps.sh installs it): \(r.stderr)")
        }
        guard let json = try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any] else {
            throw Failure(description: "openpyxl printed no JSON object")
        }
        return json
    }

    /// One sheet as openpyxl read it: the title, the frozen cell (`None` when none), every row as
    /// text (whole numbers without decimals, empty cells empty) and each cell's data type.
    public struct Sheet {
        public var title: String
        public var frozen: String
        public var rows: [[String]]
        public var types: [[String]]
    }

    /// The workbook's sheets through `openpyxl(_:)`.
    public static func openpyxlSheets(_ path: String) throws -> [Sheet] {
        let book = try openpyxl(path)
        let titles = book["sheets"] as? [String] ?? []
        let cells = book["cells"] as? [String: [[Any]]] ?? [:]
        let types = book["types"] as? [String: [[String]]] ?? [:]
        let frozen = book["frozen"] as? [String: Any] ?? [:]
        func text(_ v: Any) -> String {
            if v is NSNull { return "" }
            if let n = v as? NSNumber, !(v is Bool) {
                let d = n.doubleValue
                return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : "\(d)"
            }
            return "\(v)"
        }
        return titles.map { t in
            Sheet(
                title: t, frozen: frozen[t] as? String ?? "None", rows: (cells[t] ?? []).map { $0.map(text) },
                types: types[t] ?? [])
        }
    }

    /// Debian's headless Chromium (package `chromium`, installed by scripts/install-deps.sh).
    public enum Chromium {
        public static func path() throws -> String {
            for p in ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
            where FileManager.default.isExecutableFile(atPath: p) {
                return p
            }
            throw Failure(description: "chromium is not installed: run scripts/install-deps.sh")
        }

        /// The flags of every run: headless, no sandbox (the tests run as root in CI), no GPU, no
        /// first-run work, and no network at all — a page under test loads nothing from outside.
        static func flags(_ profile: URL) -> [String] {
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                "--no-first-run", "--disable-extensions", "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync", "--disable-domain-reliability", "--no-pings", "--dns-prefetch-disable",
                "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                "--user-data-dir=\(profile.path)",
            ]
        }

        static func withProfile<T>(_ body: (URL) throws -> T) throws -> T {
            let profile = FileManager.default.temporaryDirectory.appendingPathComponent(
                "al-chromium-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: profile) }
            return try body(profile)
        }

        /// The DOM Chromium built from the page (after parsing and layout), as HTML text.
        public static func dumpDOM(_ file: String) throws -> String {
            try withProfile { profile in
                let r = try run(try path(), flags(profile) + ["--dump-dom", URL(fileURLWithPath: file).absoluteString])
                guard r.status == 0 else { throw Failure(description: "chromium --dump-dom failed: \(r.stderr)") }
                return String(decoding: r.stdout, as: UTF8.self)
            }
        }

        /// A PNG screenshot of the page at this window size, written to `png`.
        public static func screenshot(_ file: String, to png: String, width: Int = 1200, height: Int = 2400) throws {
            try withProfile { profile in
                let r = try run(
                    try path(),
                    flags(profile) + [
                        "--window-size=\(width),\(height)", "--screenshot=\(png)",
                        URL(fileURLWithPath: file).absoluteString,
                    ])
                guard r.status == 0, FileManager.default.fileExists(atPath: png) else {
                    throw Failure(description: "chromium --screenshot failed: \(r.stderr)")
                }
            }
        }
    }
}
