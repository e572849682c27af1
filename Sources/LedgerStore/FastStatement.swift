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

    private var raw: OpaquePointer { statement.sqliteStatement }

    mutating func bind(_ value: String?) {
        if let value {
            sqlite3_bind_text(raw, index, value, -1, SQLITE_TRANSIENT_DESTRUCTOR)
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
