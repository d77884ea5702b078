import CSQLite
import Foundation
import VectorIndex

/// Start-up: load every vector of an `entries` table (1M BLOB rows) into a ``VectorIndex`` with one
/// `SELECT`, stepping rows into a ``VectorBatch`` and bulk-loading it. The table is created once, from
/// the first `rows` vectors (read only then, so they do not take memory during the measured load).
func runStartupBench(databasePath: String, rows: Int, dimension: Int, vectors: () throws -> VectorFile) throws {
    if !FileManager.default.fileExists(atPath: databasePath) {
        let vectors = try vectors()
        try createEntries(at: databasePath, vectors: vectors, rows: min(rows, vectors.rowCount))
    }
    try indexContexts(at: databasePath)
    let start = ContinuousClock.now
    var batch = VectorBatch()
    let loaded = try selectEntries(
        from: databasePath, space: VectorSpace(embedderID: "bench", dimension: dimension), into: &batch)
    let selected = ContinuousClock.now
    let index = VectorIndex()
    index.bulkLoad(consume batch)
    let end = ContinuousClock.now
    emit([
        "impl": "startup", "rows": loaded, "indexed": index.count,
        "select_append_s": seconds(selected - start), "bulk_load_s": seconds(end - selected),
        "total_s": seconds(end - start), "memory_bytes": index.memoryBytes,
    ])
}

private func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

private struct SQLiteError: Error, CustomStringConvertible {
    let description: String
}

private func check(_ code: Int32, _ database: OpaquePointer?, _ what: String) throws {
    guard code == SQLITE_OK || code == SQLITE_DONE || code == SQLITE_ROW else {
        throw SQLiteError(description: "\(what): \(String(cString: sqlite3_errmsg(database)))")
    }
}

private func open(_ path: String) throws -> OpaquePointer? {
    var database: OpaquePointer?
    try check(sqlite3_open(path, &database), database, "open \(path)")
    return database
}

private func createEntries(at path: String, vectors: VectorFile, rows: Int) throws {
    let database = try open(path)
    defer { sqlite3_close(database) }
    try check(sqlite3_exec(database, """
        PRAGMA journal_mode=WAL;
        CREATE TABLE entries(id INTEGER PRIMARY KEY, context_key BLOB, embedder_id TEXT, dimension INTEGER, embedding BLOB);
        BEGIN;
        """, nil, nil, nil), database, "create entries")
    var statement: OpaquePointer?
    try check(sqlite3_prepare_v2(database, "INSERT INTO entries VALUES (?, ?, 'bench', ?, ?)", -1, &statement, nil), database, "prepare insert")
    defer { sqlite3_finalize(statement) }
    let rowBytes = vectors.dimension * MemoryLayout<Float>.size
    try benchContext.bytes.withUnsafeBytes { context in
        try vectors.values.withUnsafeBytes { all in
            for row in 0..<rows {
                sqlite3_bind_int64(statement, 1, Int64(row + 1))
                sqlite3_bind_blob(statement, 2, context.baseAddress, Int32(context.count), nil)
                sqlite3_bind_int64(statement, 3, Int64(vectors.dimension))
                sqlite3_bind_blob(statement, 4, all.baseAddress! + row * rowBytes, Int32(rowBytes), nil)
                try check(sqlite3_step(statement), database, "insert row \(row)")
                sqlite3_reset(statement)
            }
        }
    }
    try check(sqlite3_exec(database, "COMMIT", nil, nil, nil), database, "commit")
}

/// The index on `context_key` that semcache's own table has (databases made before it was added here
/// get it now, outside the measured load).
private func indexContexts(at path: String) throws {
    let database = try open(path)
    defer { sqlite3_close(database) }
    try check(sqlite3_exec(database, "CREATE INDEX IF NOT EXISTS entries_context ON entries(context_key)", nil, nil, nil),
              database, "index contexts")
}

/// Counts the rows of each context from the context index first, as semcache does, so each
/// partition's matrix is allocated once (an upper bound: the count includes rows of other spaces).
private func reservePartitions(of database: OpaquePointer?, space: VectorSpace, in batch: inout VectorBatch) throws {
    var statement: OpaquePointer?
    try check(sqlite3_prepare_v2(database,
        "SELECT context_key, count(*) FROM entries GROUP BY context_key", -1, &statement, nil),
        database, "prepare count")
    defer { sqlite3_finalize(statement) }
    while sqlite3_step(statement) == SQLITE_ROW {
        let context = UnsafeRawBufferPointer(
            start: sqlite3_column_blob(statement, 0), count: Int(sqlite3_column_bytes(statement, 0)))
        batch.reserveCapacity(Int(sqlite3_column_int64(statement, 1)), context: ContextKey(Array(context)), space: space)
    }
}

/// Steps `SELECT … FROM entries` once, appending each row to `batch`. Returns the rows read.
private func selectEntries(from path: String, space expected: VectorSpace, into batch: inout VectorBatch) throws -> Int {
    let database = try open(path)
    defer { sqlite3_close(database) }
    // Map the file instead of copying each page through read(2).
    try check(sqlite3_exec(database, "PRAGMA mmap_size = 4294967296", nil, nil, nil), database, "mmap")
    try reservePartitions(of: database, space: expected, in: &batch)
    var statement: OpaquePointer?
    try check(sqlite3_prepare_v2(database,
        "SELECT id, context_key, embedder_id, dimension, embedding FROM entries", -1, &statement, nil),
        database, "prepare select")
    defer { sqlite3_finalize(statement) }
    var context = ContextKey([])
    var space = VectorSpace(embedderID: "", dimension: 0)
    var rows = 0
    while true {
        let code = sqlite3_step(statement)
        guard code == SQLITE_ROW else {
            try check(code, database, "select")
            return rows
        }
        rows += 1
        // Consecutive rows mostly share a context and space: rebuild them only when the bytes change.
        let contextBytes = UnsafeRawBufferPointer(
            start: sqlite3_column_blob(statement, 1), count: Int(sqlite3_column_bytes(statement, 1)))
        if !contextBytes.elementsEqual(context.bytes) { context = ContextKey(Array(contextBytes)) }
        let dimension = Int(sqlite3_column_int64(statement, 3))
        let embedder = sqlite3_column_text(statement, 2).map { String(cString: $0) } ?? ""
        if embedder != space.embedderID || dimension != space.dimension {
            space = VectorSpace(embedderID: embedder, dimension: dimension)
        }
        let embedding = UnsafeRawBufferPointer(
            start: sqlite3_column_blob(statement, 4), count: Int(sqlite3_column_bytes(statement, 4)))
        batch.append(id: sqlite3_column_int64(statement, 0), float32Bytes: embedding, context: context, space: space)
    }
}
