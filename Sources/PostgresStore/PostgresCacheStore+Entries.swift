import NIOCore
import PostgresNIO
import Store

/// Entries: storing, reading, deleting, listing.
extension PostgresCacheStore {
    /// An entry's bytes: response, prompt (UTF-8) and vector, as ``IndexRow/sizeBytes``.
    static let sizeExpression = "length(response) + coalesce(octet_length(prompt), 0) + coalesce(length(embedding), 0)"

    public func insert(_ entry: NewEntry) async throws(StoreError) -> Int64 {
        try await changingEntries { connection in try await Self.insertRow(entry, on: connection) }
    }

    public func insert(_ entries: [NewEntry]) async throws(StoreError) -> [Int64] {
        guard !entries.isEmpty else { return [] }
        return try await changingEntries { connection in
            var ids: [Int64] = []
            ids.reserveCapacity(entries.count)
            for entry in entries { ids.append(try await Self.insertRow(entry, on: connection)) }
            return ids
        }
    }

    private static func insertRow(_ entry: NewEntry, on connection: PostgresConnection) async throws -> Int64 {
        let query: PostgresQuery = """
            INSERT INTO entries (key, context_key, endpoint, model, namespace, prompt, embedding, embedder_id,
                dimension, response, response_kind, status, content_type, prompt_tokens, completion_tokens,
                upstream_ms, created_at, expires_at, change_seq)
            VALUES (\(PostgresCodec.buffer(entry.key)), \(PostgresCodec.buffer(entry.contextKey)), \(entry.endpoint),
                \(entry.model), \(entry.namespace), \(entry.prompt), \(PostgresCodec.buffer(floats: entry.embedding)),
                \(entry.embedderID), \(entry.embedding?.count), \(PostgresCodec.buffer(entry.response)),
                \(entry.responseKind.rawValue), \(entry.status), \(entry.contentType), \(entry.promptTokens),
                \(entry.completionTokens), \(entry.upstreamMilliseconds), \(entry.createdAt), \(entry.expiresAt),
                nextval('entry_change_seq'))
            ON CONFLICT (key) DO UPDATE SET \(unescaped: CacheStore.replacingColumns), change_seq = excluded.change_seq
            RETURNING id
            """
        for try await (id,) in try await connection.query(query, logger: connection.logger).decode((Int64,).self) { return id }
        throw PostgresStoreFailure.noRowReturned
    }

    public func setEmbedding(id: Int64, embedding: [Float], embedderID: String) async throws(StoreError) {
        try await changingEntries { connection in
            _ = try await connection.query("""
                UPDATE entries SET embedding = \(PostgresCodec.buffer(floats: embedding)), embedder_id = \(embedderID),
                    dimension = \(embedding.count), change_seq = nextval('entry_change_seq')
                WHERE id = \(id)
                """, logger: connection.logger)
        }
    }

    public func entry(id: Int64) async throws(StoreError) -> StoredEntry? {
        try await rows(PostgresQuery(unsafeSQL: "SELECT \(CacheStore.entryColumns) FROM entries WHERE id = $1", binds: Self.binds(id)), Self.storedEntry).first
    }

    public func addHits(_ counts: [HitCount]) async throws(StoreError) {
        guard !counts.isEmpty else { return }
        try await run("""
            UPDATE entries SET hits = entries.hits + counted.count,
                last_hit_at = greatest(coalesce(entries.last_hit_at, 0), counted.last_at)
            FROM unnest(\(counts.map(\.id)), \(counts.map { Int64($0.count) }), \(counts.map(\.lastAt))) AS counted(id, count, last_at)
            WHERE entries.id = counted.id
            """)
    }

    @discardableResult
    public func delete(ids: [Int64]) async throws(StoreError) -> Int {
        guard !ids.isEmpty else { return 0 }
        return try await deleteAndRecord(condition: "id = ANY($1)", binds: Self.binds(ids)).count
    }

    public func deleteExpired(before time: Double) async throws(StoreError) -> [Int64] {
        try await deleteAndRecord(condition: "expires_at <= $1", binds: Self.binds(time))
    }

    /// Deletes the entries matching `condition` and records each deletion for the change feed.
    private func deleteAndRecord(condition: String, binds: PostgresBindings) async throws(StoreError) -> [Int64] {
        let query = PostgresQuery(unsafeSQL: """
            WITH gone AS (DELETE FROM entries WHERE \(condition) RETURNING id)
            INSERT INTO entry_deletions (change_seq, entry_id, deleted_at)
            SELECT nextval('entry_change_seq'), id, extract(epoch FROM clock_timestamp()) FROM gone
            RETURNING entry_id
            """, binds: binds)
        return try await changingEntries { connection in
            var ids: [Int64] = []
            for try await (id,) in try await connection.query(query, logger: connection.logger).decode((Int64,).self) { ids.append(id) }
            return ids.sorted()
        }
    }

    public func entrySummaries(_ filter: EntryFilter, order: EntryOrder, limit: Int) async throws(StoreError) -> [EntrySummary] {
        var (condition, binds) = Self.sql(filter)
        let orderBy = order == .hits ? "hits DESC, id DESC" : "created_at DESC, id DESC"
        binds.append(Int64(max(0, limit)))
        let query = PostgresQuery(unsafeSQL: """
            SELECT id, endpoint, model, namespace, left(prompt, 200), hits, created_at, last_hit_at,
                \(Self.sizeExpression), prompt_tokens, completion_tokens, upstream_ms
            FROM entries WHERE \(condition) ORDER BY \(orderBy) LIMIT $\(binds.count)
            """, binds: binds)
        return try await rows(query) { row in
            let (id, endpoint, model, namespace, preview, hits, createdAt, lastHitAt, size, promptTokens, completionTokens, upstream) =
                try row.decode((Int64, String, String?, String, String?, Int, Double, Double?, Int, Int?, Int?, Double).self)
            return EntrySummary(
                id: id, endpoint: endpoint, model: model, namespace: namespace, promptPreview: preview, hits: hits,
                createdAt: createdAt, lastHitAt: lastHitAt, sizeBytes: size, promptTokens: promptTokens,
                completionTokens: completionTokens, upstreamMilliseconds: upstream)
        }
    }

    public func entryIDs(matching filter: EntryFilter) async throws(StoreError) -> [Int64] {
        let (condition, binds) = Self.sql(filter)
        return try await rows(PostgresQuery(unsafeSQL: "SELECT id FROM entries WHERE \(condition) ORDER BY id", binds: binds)) {
            try $0.decode(Int64.self)
        }
    }

    public func entries(afterID: Int64, limit: Int) async throws(StoreError) -> [StoredEntry] {
        try await rows(PostgresQuery(
            unsafeSQL: "SELECT \(CacheStore.entryColumns) FROM entries WHERE id > $1 ORDER BY id LIMIT $2",
            binds: Self.binds(afterID, Int64(max(0, limit)))), Self.storedEntry)
    }

    public func size() async throws(StoreError) -> (entries: Int, bytes: Int) {
        let totals = try await rows(PostgresQuery(unsafeSQL: "SELECT count(*), coalesce(sum(\(Self.sizeExpression)), 0)::bigint FROM entries")) {
            try $0.decode((Int, Int).self)
        }
        return totals.first ?? (0, 0)
    }

    /// The filter as a SQL condition over `$1…` and its bindings.
    static func sql(_ filter: EntryFilter) -> (condition: String, binds: PostgresBindings) {
        var conditions: [String] = []
        var binds = PostgresBindings()
        if let ids = filter.ids {
            binds.append(ids)
            conditions.append("id = ANY($\(binds.count))")
        }
        if let model = filter.model {
            binds.append(model)
            conditions.append("model = $\(binds.count)")
        }
        if let namespace = filter.namespace {
            binds.append(namespace)
            conditions.append("namespace = $\(binds.count)")
        }
        if let createdBefore = filter.createdBefore {
            binds.append(createdBefore)
            conditions.append("created_at < $\(binds.count)")
        }
        return (conditions.isEmpty ? "true" : conditions.joined(separator: " AND "), binds)
    }

    static func binds<each Value: PostgresDynamicTypeEncodable>(_ values: repeat each Value) -> PostgresBindings {
        var binds = PostgresBindings()
        repeat binds.append(each values)
        return binds
    }

    @Sendable static func storedEntry(_ row: PostgresRow) throws -> StoredEntry {
        let (id, key, contextKey, endpoint, model, namespace, prompt, embedding, embedderID, response, kind,
             status, contentType, promptTokens, completionTokens, upstream, createdAt, expiresAt, hits, lastHitAt) =
            try row.decode((Int64, ByteBuffer, ByteBuffer?, String, String?, String, String?, ByteBuffer?, String?, ByteBuffer, String,
                            Int, String?, Int?, Int?, Double, Double, Double, Int, Double?).self)
        let entry = NewEntry(
            key: PostgresCodec.bytes(key), contextKey: contextKey.map(PostgresCodec.bytes), endpoint: endpoint, model: model,
            namespace: namespace, prompt: prompt, embedding: embedding.map(PostgresCodec.floats), embedderID: embedderID,
            response: PostgresCodec.bytes(response), responseKind: ResponseKind(rawValue: kind) ?? .json, status: status,
            contentType: contentType, promptTokens: promptTokens, completionTokens: completionTokens,
            upstreamMilliseconds: upstream, createdAt: createdAt, expiresAt: expiresAt)
        return StoredEntry(id: id, entry: entry, hits: hits, lastHitAt: lastHitAt)
    }
}
