import GRDB
import GRDBSQLite

/// Binds and runs a GRDB-prepared statement through the SQLite C API directly. GRDB's
/// `StatementArguments` box every value; on the merge's hot path (hundreds of thousands of
/// rows per batch) that boxing costs more than SQLite's own work.
struct FastStatement {
    let statement: Statement
    private var index: Int32 = 1

    init(_ db: Database, _ sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
    }

    /// Wraps a statement whose arguments GRDB already bound.
    init(bound statement: Statement) {
        self.statement = statement
    }

    private var raw: OpaquePointer { statement.sqliteStatement }

    fileprivate mutating func resetIndex() { index = 1 }

    mutating func bind(_ value: String?) {
        if var value {
            // With its byte length: text from outside may hold NUL characters.
            let raw = raw
            let index = index
            value.withUTF8 { bytes in
                if let base = bytes.baseAddress, bytes.count > 0 {
                    base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { chars in
                        _ = sqlite3_bind_text(raw, index, chars, Int32(bytes.count), SQLITE_TRANSIENT_DESTRUCTOR)
                    }
                } else {
                    _ = sqlite3_bind_text(raw, index, "", 0, SQLITE_TRANSIENT_DESTRUCTOR)
                }
            }
        } else {
            sqlite3_bind_null(raw, index)
        }
        index += 1
    }

    mutating func bind(_ value: Int64?) {
        if let value { sqlite3_bind_int64(raw, index, value) } else { sqlite3_bind_null(raw, index) }
        index += 1
    }

    mutating func bind(_ value: Double?) {
        if let value { sqlite3_bind_double(raw, index, value) } else { sqlite3_bind_null(raw, index) }
        index += 1
    }

    mutating func bind(_ value: Bool?) { bind(value.map { $0 ? Int64(1) : 0 }) }

    /// Runs the statement to completion and resets it for the next row.
    mutating func run(_ db: Database) throws {
        defer {
            sqlite3_reset(raw)
            sqlite3_clear_bindings(raw)
            index = 1
        }
        let code = sqlite3_step(raw)
        guard code == SQLITE_DONE || code == SQLITE_ROW else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                sql: statement.sql)
        }
    }
}

/// SQLite's "copy the value now" destructor (SQLITE_TRANSIENT, a macro Swift cannot import).
let SQLITE_TRANSIENT_DESTRUCTOR = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A value on its way to a statement parameter.
enum SQLValue: Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    init(_ v: String?) { self = v.map(SQLValue.text) ?? .null }
    init(_ v: Int64?) { self = v.map(SQLValue.integer) ?? .null }
    init(_ v: Double?) { self = v.map(SQLValue.real) ?? .null }
    init(_ v: Bool?) { self = v.map { .integer($0 ? 1 : 0) } ?? .null }
}

extension FastStatement {
    mutating func bind(_ value: SQLValue) {
        switch value {
        case .null: bind(nil as Int64?)
        case .integer(let i): bind(i)
        case .real(let d): bind(d)
        case .text(let s): bind(s)
        }
    }
}

/// An INSERT of many rows per statement: SQLite opens its cursors and runs its checks once per
/// statement, so 64 rows in one statement cost far less than 64 statements.
struct BatchInsert {
    let db: Database
    let head: String
    let columns: Int
    let rowsPerStatement: Int
    private var values: [SQLValue] = []

    /// - Parameter head: `INSERT INTO table (a, b, c)`; the VALUES list is added here.
    init(_ db: Database, _ head: String, columns: Int, rowsPerStatement: Int = 64) {
        self.db = db
        self.head = head
        self.columns = columns
        self.rowsPerStatement = rowsPerStatement
        values.reserveCapacity(columns * rowsPerStatement)
    }

    /// Adds one row (exactly `columns` values); writes when a statement's worth is collected.
    mutating func add(_ row: SQLValue...) throws { try add(row) }

    mutating func add(_ row: [SQLValue]) throws {
        precondition(row.count == columns, "row has \(row.count) values, table \(columns) columns")
        values += row
        if values.count == columns * rowsPerStatement { try write() }
    }

    /// Writes the rows still held. Call once at the end.
    mutating func finish() throws {
        if !values.isEmpty { try write() }
    }

    private mutating func write() throws {
        let rows = values.count / columns
        let tuple = "(" + Array(repeating: "?", count: columns).joined(separator: ",") + ")"
        var statement = try FastStatement(
            db, head + " VALUES " + Array(repeating: tuple, count: rows).joined(separator: ","))
        for v in values { statement.bind(v) }
        try statement.run(db)
        values.removeAll(keepingCapacity: true)
    }
}

extension FastStatement {
    /// Steps once; true when a row is available (read it with the column accessors), false at
    /// the end. Call `reset()` when done with the rows.
    mutating func step(_ db: Database) throws -> Bool {
        let code = sqlite3_step(statement.sqliteStatement)
        if code == SQLITE_ROW { return true }
        if code == SQLITE_DONE { return false }
        throw DatabaseError(
            resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
            sql: statement.sql)
    }

    mutating func reset() {
        sqlite3_reset(statement.sqliteStatement)
        sqlite3_clear_bindings(statement.sqliteStatement)
        resetIndex()
    }

    func text(_ column: Int32) -> String? {
        guard let p = sqlite3_column_text(statement.sqliteStatement, column) else { return nil }
        let n = Int(sqlite3_column_bytes(statement.sqliteStatement, column))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }

    func int64(_ column: Int32) -> Int64? {
        sqlite3_column_type(statement.sqliteStatement, column) == SQLITE_NULL
            ? nil : sqlite3_column_int64(statement.sqliteStatement, column)
    }

    func double(_ column: Int32) -> Double { sqlite3_column_double(statement.sqliteStatement, column) }

    /// The column's bytes, valid until the next step (nil for NULL).
    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8>? {
        guard let p = sqlite3_column_text(statement.sqliteStatement, column) else { return nil }
        return UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(statement.sqliteStatement, column)))
    }
}
