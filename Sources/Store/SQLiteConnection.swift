import CSQLite

/// One SQLite connection. Not thread-safe: it is owned by exactly one ``SerialConnection``,
/// which runs every call on its own serial queue (the GRDB model: one serial owner per connection).
final class SQLiteConnection {
    private let handle: OpaquePointer
    let path: String
    private var statementCache: [String: Statement] = [:]

    /// Opens (or creates) the database file at `path`.
    init(path: String, readOnly: Bool = false) throws(StoreError) {
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE))
            | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let db { sqlite3_close_v2(db) }
            throw StoreError.cannotOpen(path: path, cause: message)
        }
        self.handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
    }

    deinit {
        statementCache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs one or more SQL statements that return no rows.
    func execute(_ sql: String) throws(StoreError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if rc != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? lastErrorMessage
            sqlite3_free(errorMessage)
            throw StoreError.sqlite(code: rc, message: message, path: path)
        }
    }

    /// A prepared statement for `sql`, cached for reuse and reset before it is returned.
    func cachedStatement(_ sql: String) throws(StoreError) -> Statement {
        if let statement = statementCache[sql] {
            statement.reset()
            return statement
        }
        let statement = try prepare(sql)
        statementCache[sql] = statement
        return statement
    }

    /// A new prepared statement for `sql`.
    func prepare(_ sql: String) throws(StoreError) -> Statement {
        var pointer: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &pointer, nil)
        guard rc == SQLITE_OK, let pointer else {
            throw StoreError.sqlite(code: rc, message: lastErrorMessage, path: path)
        }
        return Statement(pointer, connection: self)
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { Int(sqlite3_changes(handle)) }

    /// The rowid of the last inserted row.
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    var lastErrorMessage: String { String(cString: sqlite3_errmsg(handle)) }

    func check(_ rc: Int32) throws(StoreError) {
        guard rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW else {
            throw StoreError.sqlite(code: rc, message: lastErrorMessage, path: path)
        }
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`, rolling back if it throws.
    func transaction<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }
}

/// A prepared statement, used only on its connection's queue.
final class Statement {
    private let pointer: OpaquePointer
    private unowned let connection: SQLiteConnection

    fileprivate init(_ pointer: OpaquePointer, connection: SQLiteConnection) {
        self.pointer = pointer
        self.connection = connection
    }

    deinit { sqlite3_finalize(pointer) }

    func reset() {
        sqlite3_reset(pointer)
        sqlite3_clear_bindings(pointer)
    }

    /// Binds values to the statement's parameters, in order from 1.
    @discardableResult
    func bind(_ values: SQLiteValue...) throws(StoreError) -> Statement {
        try bind(values)
    }

    @discardableResult
    func bind(_ values: [SQLiteValue]) throws(StoreError) -> Statement {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(pointer, index)
            case .integer(let v): rc = sqlite3_bind_int64(pointer, index, v)
            case .real(let v): rc = sqlite3_bind_double(pointer, index, v)
            case .text(let v): rc = sqlite3_bind_text(pointer, index, v, -1, semcache_sqlite_transient())
            case .blob(let bytes):
                rc = bytes.withUnsafeBytes { raw in
                    // A zero-length blob still binds as a blob (not NULL) when given a non-nil pointer.
                    sqlite3_bind_blob(pointer, index, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(raw.count), semcache_sqlite_transient())
                }
            }
            try connection.check(rc)
        }
        return self
    }

    /// Steps once: true when a row is available.
    func step() throws(StoreError) -> Bool {
        let rc = sqlite3_step(pointer)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw StoreError.sqlite(code: rc, message: connection.lastErrorMessage, path: connection.path)
    }

    /// Steps until done, for statements that return no rows.
    func run() throws(StoreError) {
        while try step() {}
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(pointer, column) == SQLITE_NULL }
    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(pointer, column) }
    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(pointer, column)) }
    func double(_ column: Int32) -> Double { sqlite3_column_double(pointer, column) }

    func optionalInt(_ column: Int32) -> Int? { isNull(column) ? nil : int(column) }
    func optionalDouble(_ column: Int32) -> Double? { isNull(column) ? nil : double(column) }

    func text(_ column: Int32) -> String? {
        guard let cString = sqlite3_column_text(pointer, column) else { return nil }
        return String(cString: cString)
    }

    func blob(_ column: Int32) -> [UInt8]? {
        guard !isNull(column) else { return nil }
        let count = Int(sqlite3_column_bytes(pointer, column))
        guard count > 0, let base = sqlite3_column_blob(pointer, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// The bytes of a BLOB or TEXT column without copying them, or nil for NULL. Valid until the next
    /// step, reset or column call on this statement.
    func bytes(_ column: Int32) -> UnsafeRawBufferPointer? {
        guard let base = sqlite3_column_blob(pointer, column) else {
            return isNull(column) ? nil : UnsafeRawBufferPointer(start: nil, count: 0)
        }
        return UnsafeRawBufferPointer(start: base, count: Int(sqlite3_column_bytes(pointer, column)))
    }

    /// Reads a BLOB of little-endian float32 values.
    func floats(_ column: Int32) -> [Float]? {
        guard !isNull(column) else { return nil }
        let count = Int(sqlite3_column_bytes(pointer, column)) / MemoryLayout<Float>.size
        guard count > 0, let base = sqlite3_column_blob(pointer, column) else { return [] }
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(
                from: UnsafeRawBufferPointer(start: base, count: count * MemoryLayout<Float>.size))
            initialized = count
        }
    }
}

/// A value bound to a statement parameter.
enum SQLiteValue {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    static func optional(_ value: Int?) -> SQLiteValue { value.map { .integer(Int64($0)) } ?? .null }
    static func optional(_ value: Double?) -> SQLiteValue { value.map { .real($0) } ?? .null }
    static func optional(_ value: String?) -> SQLiteValue { value.map { .text($0) } ?? .null }
    static func optional(_ value: [UInt8]?) -> SQLiteValue { value.map { .blob($0) } ?? .null }

    /// Little-endian float32 BLOB (the platforms Swift runs on are little-endian).
    static func floats(_ value: [Float]?) -> SQLiteValue {
        guard let value else { return .null }
        return .blob(value.withUnsafeBytes { Array($0) })
    }
}
