/// Receives the entries of ``CacheStore/scanIndex(into:)`` one by one, on the store's reader thread.
public protocol IndexScanner: Sendable {
    /// Called once per entry, in rowid order. `row` borrows SQLite's memory: it is valid only during
    /// this call.
    mutating func visit(_ row: borrowing IndexRowView)
}

/// One entry as the start-up scan sees it: what the in-memory indexes need, read straight from the
/// statement without copying. Byte columns are only read when asked for, so a vector that will not be
/// loaded costs nothing. Valid only during ``IndexScanner/visit(_:)``.
public struct IndexRowView: ~Copyable {
    fileprivate unowned(unsafe) let statement: Statement

    public var id: Int64 { statement.int64(0) }
    /// The exact key's bytes (32 for a valid entry).
    public var key: UnsafeRawBufferPointer { statement.bytes(1) ?? UnsafeRawBufferPointer(start: nil, count: 0) }
    /// The context key's bytes, or nil when the entry has none.
    public var contextKey: UnsafeRawBufferPointer? { statement.bytes(2) }
    /// The UTF-8 bytes of the id of the embedder that made ``embedding``, or nil.
    public var embedderID: UnsafeRawBufferPointer? { statement.bytes(3) }
    /// The embedding as raw little-endian `Float32` bytes, or nil.
    public var embedding: UnsafeRawBufferPointer? { statement.bytes(4) }
    public var createdAt: Double { statement.double(5) }
    public var expiresAt: Double { statement.double(6) }
    public var lastHitAt: Double? { statement.optionalDouble(7) }
    /// Bytes of response, prompt and vector, as in ``IndexRow/sizeBytes``.
    public var sizeBytes: Int { statement.int(8) }
}

/// How many entries one context key has (`nil`: entries without one).
public struct ContextEntryCount: Sendable, Equatable {
    public var contextKey: [UInt8]?
    public var entries: Int
}

extension CacheStore {
    /// Steps one `SELECT` over every entry, handing each to `scanner`, and returns the scanner: the
    /// start-up load of the in-memory indexes, without materialising a row. (Memory-mapping the file
    /// for the scan did not make it faster, and SQLite maps at most 2 GB of it.)
    public func scanIndex<Scanner: IndexScanner>(into scanner: Scanner) async throws(StoreError) -> Scanner {
        try await reader.read { connection throws(StoreError) in
            let statement = try connection.prepare(
                """
                SELECT id, key, context_key, embedder_id, embedding, created_at, expires_at, last_hit_at,
                    \(Self.entrySizeExpression)
                FROM entries
                """)
            var scanner = scanner
            while try statement.step() {
                scanner.visit(IndexRowView(statement: statement))
            }
            return scanner
        }
    }

    /// The number of entries per context key, from the context index alone (no table rows are read).
    /// An upper bound of each context's vectors, for reserving the matrices before a scan.
    public func entryCountsByContext() async throws(StoreError) -> [ContextEntryCount] {
        try await reader.read { connection throws(StoreError) in
            let statement = try connection.prepare(
                "SELECT context_key, count(*) FROM entries GROUP BY context_key")
            var counts: [ContextEntryCount] = []
            while try statement.step() {
                counts.append(ContextEntryCount(contextKey: statement.blob(0), entries: statement.int(1)))
            }
            return counts
        }
    }

    /// Every entry's keys, vector and times, copied out (``scanIndex(into:)`` without the copies is the
    /// start-up path; this is for tests and tools).
    public func loadIndex() async throws(StoreError) -> [IndexRow] {
        try await scanIndex(into: IndexRowCollector()).rows
    }
}

/// Copies each row of a scan into an ``IndexRow``.
private struct IndexRowCollector: IndexScanner {
    var rows: [IndexRow] = []

    mutating func visit(_ row: borrowing IndexRowView) {
        rows.append(IndexRow(
            id: row.id, key: Array(row.key), contextKey: row.contextKey.map { Array($0) },
            embedderID: row.embedderID.map { String(decoding: $0, as: UTF8.self) },
            embedding: row.embedding.map { bytes in
                (0..<bytes.count / 4).map { bytes.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
            },
            createdAt: row.createdAt,
            expiresAt: row.expiresAt, lastHitAt: row.lastHitAt, sizeBytes: row.sizeBytes))
    }
}
