/// Listing, selecting and exporting entries, for operators.
extension CacheStore {
    /// Bytes an entry takes: response, prompt and vector.
    static let sizeExpression = "length(response) + coalesce(length(CAST(prompt AS BLOB)), 0) + coalesce(length(embedding), 0)"

    /// Entries matching `filter`, at most `limit`, in `order`.
    public func entrySummaries(_ filter: EntryFilter, order: EntryOrder = .newest, limit: Int) async throws(StoreError) -> [EntrySummary] {
        let (condition, values) = filter.sql
        let orderBy = order == .hits ? "hits DESC, id DESC" : "created_at DESC, id DESC"
        return try await reader.read { connection throws(StoreError) in
            let statement = try connection.prepare(
                """
                SELECT id, endpoint, model, namespace, substr(prompt, 1, 200), hits, created_at, last_hit_at,
                    \(Self.sizeExpression), prompt_tokens, completion_tokens, upstream_ms
                FROM entries WHERE \(condition) ORDER BY \(orderBy) LIMIT ?
                """)
            try statement.bind(values + [.integer(Int64(max(0, limit)))])
            var rows: [EntrySummary] = []
            while try statement.step() {
                rows.append(EntrySummary(
                    id: statement.int64(0), endpoint: statement.text(1) ?? "", model: statement.text(2),
                    namespace: statement.text(3) ?? "", promptPreview: statement.text(4), hits: statement.int(5),
                    createdAt: statement.double(6), lastHitAt: statement.optionalDouble(7), sizeBytes: statement.int(8),
                    promptTokens: statement.optionalInt(9), completionTokens: statement.optionalInt(10),
                    upstreamMilliseconds: statement.double(11)))
            }
            return rows
        }
    }

    /// The ids of every entry matching `filter`.
    public func entryIDs(matching filter: EntryFilter) async throws(StoreError) -> [Int64] {
        let (condition, values) = filter.sql
        return try await reader.read { connection throws(StoreError) in
            let statement = try connection.prepare("SELECT id FROM entries WHERE \(condition) ORDER BY id")
            try statement.bind(values)
            var ids: [Int64] = []
            while try statement.step() { ids.append(statement.int64(0)) }
            return ids
        }
    }

    /// Up to `limit` whole entries with an id above `afterID`, in id order: page through the
    /// store with the last id of each page.
    public func entries(afterID: Int64, limit: Int) async throws(StoreError) -> [StoredEntry] {
        try await reader.read { connection throws(StoreError) in
            let statement = try connection.cachedStatement("SELECT \(Self.entryColumns) FROM entries WHERE id > ? ORDER BY id LIMIT ?")
            try statement.bind(.integer(afterID), .integer(Int64(max(0, limit))))
            defer { statement.reset() }
            var rows: [StoredEntry] = []
            while try statement.step() { rows.append(Self.storedEntry(from: statement)) }
            return rows
        }
    }

    /// How many entries the store holds and their bytes (response, prompt and vector).
    public func size() async throws(StoreError) -> (entries: Int, bytes: Int) {
        try await reader.read { connection throws(StoreError) in
            let statement = try connection.cachedStatement("SELECT count(*), coalesce(sum(\(Self.sizeExpression)), 0) FROM entries")
            defer { statement.reset() }
            guard try statement.step() else { return (0, 0) }
            return (statement.int(0), statement.int(1))
        }
    }
}
