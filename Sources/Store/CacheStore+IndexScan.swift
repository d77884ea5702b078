/// Receives the entries of ``CacheStore/scanIndex(into:)`` one by one, on the store's reader thread.
public protocol IndexScanner: Sendable {
    /// Called once per entry, in rowid order. `row` borrows SQLite's memory: it is valid only during
    /// this call.
    mutating func visit(_ row: borrowing IndexRowView)
}

/// One entry as the start-up scan sees it: what the in-memory indexes need, read straight from the
/// backend's row without copying. For SQLite, byte columns are only read when asked for, so a vector
/// that will not be loaded costs nothing. Valid only during ``IndexScanner/visit(_:)``.
public struct IndexRowView: ~Copyable {
    private enum Source {
        case statement(Unmanaged<Statement>)
        case fields(IndexRowFields)
    }

    private let source: Source

    fileprivate init(statement: Statement) {
        source = .statement(Unmanaged.passUnretained(statement))
    }

    /// A row whose columns another backend decoded: the buffers must stay valid while the scanner
    /// visits it.
    public init(fields: IndexRowFields) {
        source = .fields(fields)
    }

    /// Reads a column from the SQLite statement, or takes it from the decoded fields.
    private func column<Value>(_ fromStatement: (Statement) -> Value, _ fromFields: (IndexRowFields) -> Value) -> Value {
        switch source {
        case .statement(let statement): fromStatement(statement.takeUnretainedValue())
        case .fields(let fields): fromFields(fields)
        }
    }

    public var id: Int64 { column({ $0.int64(0) }, \.id) }
    /// The exact key's bytes (32 for a valid entry).
    public var key: UnsafeRawBufferPointer {
        column({ $0.bytes(1) ?? UnsafeRawBufferPointer(start: nil, count: 0) }, \.key)
    }
    /// The context key's bytes, or nil when the entry has none.
    public var contextKey: UnsafeRawBufferPointer? { column({ $0.bytes(2) }, \.contextKey) }
    /// The UTF-8 bytes of the id of the embedder that made ``embedding``, or nil.
    public var embedderID: UnsafeRawBufferPointer? { column({ $0.bytes(3) }, \.embedderID) }
    /// The embedding as raw little-endian `Float32` bytes, or nil.
    public var embedding: UnsafeRawBufferPointer? { column({ $0.bytes(4) }, \.embedding) }
    public var createdAt: Double { column({ $0.double(5) }, \.createdAt) }
    public var expiresAt: Double { column({ $0.double(6) }, \.expiresAt) }
    public var lastHitAt: Double? { column({ $0.optionalDouble(7) }, \.lastHitAt) }
    /// Bytes of response, prompt and vector, as in ``IndexRow/sizeBytes``.
    public var sizeBytes: Int { column({ $0.int(8) }, \.sizeBytes) }
}

/// The columns of one scanned row as another backend decoded them; the buffers borrow the
/// backend's memory for the duration of one ``IndexScanner/visit(_:)``.
public struct IndexRowFields {
    public var id: Int64
    public var key: UnsafeRawBufferPointer
    public var contextKey: UnsafeRawBufferPointer?
    public var embedderID: UnsafeRawBufferPointer?
    public var embedding: UnsafeRawBufferPointer?
    public var createdAt: Double
    public var expiresAt: Double
    public var lastHitAt: Double?
    public var sizeBytes: Int

    public init(
        id: Int64, key: UnsafeRawBufferPointer, contextKey: UnsafeRawBufferPointer?, embedderID: UnsafeRawBufferPointer?,
        embedding: UnsafeRawBufferPointer?, createdAt: Double, expiresAt: Double, lastHitAt: Double?, sizeBytes: Int
    ) {
        self.id = id
        self.key = key
        self.contextKey = contextKey
        self.embedderID = embedderID
        self.embedding = embedding
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastHitAt = lastHitAt
        self.sizeBytes = sizeBytes
    }
}

/// How many entries one context key has (`nil`: entries without one).
public struct ContextEntryCount: Sendable, Equatable {
    public var contextKey: [UInt8]?
    public var entries: Int

    public init(contextKey: [UInt8]?, entries: Int) {
        self.contextKey = contextKey
        self.entries = entries
    }
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
}

/// Copies each row of a scan into an ``IndexRow``.
public struct IndexRowCollector: IndexScanner {
    public var rows: [IndexRow] = []

    public init() {}

    public mutating func visit(_ row: borrowing IndexRowView) {
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
