/// The SQLite-backed cache store: entries, their vectors and statistics buckets.
///
/// Two connections to one WAL-mode file: a writer whose writes are group-committed, and a reader,
/// so reads never wait behind a write transaction. Each connection has one serial owner
/// (``SerialConnection``); every SQLite call runs on that owner's queue, never on the Swift
/// concurrency pool.
public final class CacheStore: Sendable {
    /// The database file.
    public let path: String
    let writer: SerialConnection
    let reader: SerialConnection

    init(path: String, writer: SerialConnection, reader: SerialConnection) {
        self.path = path
        self.writer = writer
        self.reader = reader
    }

    /// Opens (creating and migrating when needed) the store at `path`.
    public static func open(path: String) async throws(StoreError) -> CacheStore {
        let setup = SerialConnection(try SQLiteConnection(path: path), label: "semcache.store.writer")
        try await setup.read { connection throws(StoreError) in try Schema.prepare(connection) }
        let reader = SerialConnection(try SQLiteConnection(path: path), label: "semcache.store.reader")
        try await reader.read { connection throws(StoreError) in
            try connection.execute("PRAGMA busy_timeout = 5000")
            // Touch the schema so a corrupt or foreign file fails here, at open, not on first use.
            _ = try connection.prepare("SELECT count(*) FROM entries").step()
        }
        return CacheStore(path: path, writer: setup, reader: reader)
    }

    /// Stores `entry`, replacing any entry with the same key; returns its id.
    public func insert(_ entry: NewEntry) async throws(StoreError) -> Int64 {
        try await writer.write { connection throws(StoreError) in try Self.insertRow(entry, into: connection) }
    }

    /// Stores `entries` in one transaction (all or none), replacing entries with the same keys;
    /// returns their ids in order. For bulk loads (prewarm), where one commit per entry would
    /// dominate the cost.
    public func insert(_ entries: [NewEntry]) async throws(StoreError) -> [Int64] {
        guard !entries.isEmpty else { return [] }
        return try await writer.write { connection throws(StoreError) in
            var ids: [Int64] = []
            ids.reserveCapacity(entries.count)
            for entry in entries { ids.append(try Self.insertRow(entry, into: connection)) }
            return ids
        }
    }

    private static func insertRow(_ entry: NewEntry, into connection: SQLiteConnection) throws(StoreError) -> Int64 {
        let statement = try connection.cachedStatement(
            """
            INSERT INTO entries (id, key, context_key, endpoint, model, namespace, prompt, embedding, embedder_id,
                dimension, response, response_kind, status, content_type, prompt_tokens, completion_tokens,
                upstream_ms, created_at, expires_at)
            VALUES ((SELECT last + 1 FROM entry_ids),  -- never a deleted entry's id (schema 4)
                ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(key) DO UPDATE SET \(Self.replacingColumns)
            RETURNING id
            """)
        defer { statement.reset() }
        try statement.bind(values(of: entry))
        guard try statement.step() else {
            throw StoreError.sqlite(code: 0, message: "INSERT returned no id", path: connection.path)
        }
        return statement.int64(0)
    }

    /// Sets (or clears) the embedding of an entry, for vectors computed after the entry was stored.
    public func setEmbedding(id: Int64, embedding: [Float], embedderID: String) async throws(StoreError) {
        try await writer.write { connection throws(StoreError) in
            try connection.cachedStatement("UPDATE entries SET embedding = ?, embedder_id = ?, dimension = ? WHERE id = ?")
                .bind(.floats(embedding), .text(embedderID), .integer(Int64(embedding.count)), .integer(id))
                .run()
        }
    }

    /// The entry with `id`, or nil.
    public func entry(id: Int64) async throws(StoreError) -> StoredEntry? {
        try await reader.read { connection throws(StoreError) in
            let statement = try connection.cachedStatement("SELECT \(Self.entryColumns) FROM entries WHERE id = ?")
            try statement.bind(.integer(id))
            defer { statement.reset() }
            return try statement.step() ? Self.storedEntry(from: statement) : nil
        }
    }

    /// Adds counted hits to their entries in one transaction (entries deleted meanwhile are skipped).
    public func addHits(_ counts: [HitCount]) async throws(StoreError) {
        guard !counts.isEmpty else { return }
        try await writer.write { connection throws(StoreError) in
            let statement = try connection.cachedStatement(
                "UPDATE entries SET hits = hits + ?, last_hit_at = max(coalesce(last_hit_at, 0), ?) WHERE id = ?")
            for hit in counts {
                statement.reset()
                try statement.bind(.integer(Int64(hit.count)), .real(hit.lastAt), .integer(hit.id)).run()
            }
        }
    }

    /// Deletes the entries with these ids; returns how many existed.
    @discardableResult
    public func delete(ids: [Int64]) async throws(StoreError) -> Int {
        guard !ids.isEmpty else { return 0 }
        return try await writer.write { connection throws(StoreError) in
            let statement = try connection.cachedStatement("DELETE FROM entries WHERE id = ?")
            var deleted = 0
            for id in ids {
                statement.reset()
                try statement.bind(.integer(id)).run()
                deleted += connection.changes
            }
            return deleted
        }
    }

    /// Deletes entries that expired before `time`; returns their ids.
    public func deleteExpired(before time: Double) async throws(StoreError) -> [Int64] {
        try await writer.write { connection throws(StoreError) in
            let statement = try connection.cachedStatement("DELETE FROM entries WHERE expires_at <= ? RETURNING id")
            try statement.bind(.real(time))
            var ids: [Int64] = []
            while try statement.step() { ids.append(statement.int64(0)) }
            statement.reset()
            return ids
        }
    }

    /// Runs `PRAGMA integrity_check`; returns "ok" for a healthy file.
    public func integrityCheck() async throws(StoreError) -> String {
        try await reader.read { connection throws(StoreError) in
            let statement = try connection.prepare("PRAGMA integrity_check")
            var lines: [String] = []
            while try statement.step() { lines.append(statement.text(0) ?? "") }
            return lines.joined(separator: "\n")
        }
    }

    /// The columns an insert with an existing key replaces (the id, hits and last hit stay), as
    /// `column = excluded.column` assignments: the same in SQLite and PostgreSQL.
    public static let replacingColumns = """
        context_key = excluded.context_key, endpoint = excluded.endpoint, model = excluded.model,
        namespace = excluded.namespace, prompt = excluded.prompt, embedding = excluded.embedding,
        embedder_id = excluded.embedder_id, dimension = excluded.dimension, response = excluded.response,
        response_kind = excluded.response_kind, status = excluded.status, content_type = excluded.content_type,
        prompt_tokens = excluded.prompt_tokens, completion_tokens = excluded.completion_tokens,
        upstream_ms = excluded.upstream_ms, created_at = excluded.created_at, expires_at = excluded.expires_at
        """

    /// The columns of a whole entry, in the order every backend reads them.
    public static let entryColumns = """
        id, key, context_key, endpoint, model, namespace, prompt, embedding, embedder_id, response, response_kind,
        status, content_type, prompt_tokens, completion_tokens, upstream_ms, created_at, expires_at, hits, last_hit_at
        """

    static func storedEntry(from row: Statement) -> StoredEntry {
        let entry = NewEntry(
            key: row.blob(1) ?? [], contextKey: row.blob(2), endpoint: row.text(3) ?? "", model: row.text(4),
            namespace: row.text(5) ?? "", prompt: row.text(6), embedding: row.floats(7), embedderID: row.text(8),
            response: row.blob(9) ?? [], responseKind: ResponseKind(rawValue: row.text(10) ?? "") ?? .json,
            status: row.int(11), contentType: row.text(12), promptTokens: row.optionalInt(13),
            completionTokens: row.optionalInt(14), upstreamMilliseconds: row.double(15),
            createdAt: row.double(16), expiresAt: row.double(17))
        return StoredEntry(id: row.int64(0), entry: entry, hits: row.int(18), lastHitAt: row.optionalDouble(19))
    }

    static func values(of entry: NewEntry) -> [SQLiteValue] {
        [
            .blob(entry.key), .optional(entry.contextKey), .text(entry.endpoint), .optional(entry.model),
            .text(entry.namespace), .optional(entry.prompt), .floats(entry.embedding), .optional(entry.embedderID),
            .optional(entry.embedding?.count), .blob(entry.response), .text(entry.responseKind.rawValue),
            .integer(Int64(entry.status)), .optional(entry.contentType), .optional(entry.promptTokens),
            .optional(entry.completionTokens), .real(entry.upstreamMilliseconds), .real(entry.createdAt),
            .real(entry.expiresAt),
        ]
    }
}
