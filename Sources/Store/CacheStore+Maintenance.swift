/// How much the store holds.
public struct StoreUsage: Sendable, Equatable {
    /// Number of entries.
    public var entries: Int
    /// Bytes of responses, prompts and vectors (as counted by ``IndexRow/sizeBytes``).
    public var bytes: Int

    public init(entries: Int, bytes: Int) {
        self.entries = entries
        self.bytes = bytes
    }
}

extension CacheStore {
    /// Counts the entries and their bytes (one scan of the table: for tests and tools, not the request path).
    public func usage() async throws(StoreError) -> StoreUsage {
        try await reader.read { connection throws(StoreError) in
            let statement = try connection.prepare(
                "SELECT count(*), coalesce(sum(\(Self.entrySizeExpression)), 0) FROM entries")
            guard try statement.step() else { return StoreUsage(entries: 0, bytes: 0) }
            return StoreUsage(entries: statement.int(0), bytes: statement.int(1))
        }
    }

    /// The ids of every entry, ascending.
    public func entryIDs() async throws(StoreError) -> [Int64] {
        try await reader.read { connection throws(StoreError) in
            let statement = try connection.prepare("SELECT id FROM entries ORDER BY id")
            var ids: [Int64] = []
            while try statement.step() { ids.append(statement.int64(0)) }
            return ids
        }
    }

    /// The SQL for an entry's size in bytes, the same as ``IndexRow/sizeBytes``.
    static let entrySizeExpression = "length(response) + coalesce(length(prompt), 0) + coalesce(length(embedding), 0)"
}
