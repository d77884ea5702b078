import Logging
import NIOCore
import PostgresNIO
import Store

/// The start-up scan and the change feed through which each sidecar keeps its replica.
extension PostgresCacheStore {
    static let indexColumns = "id, key, context_key, embedder_id, embedding, created_at, expires_at, last_hit_at, \(sizeExpression)"

    public func scanIndex<Scanner: IndexScanner>(into scanner: Scanner) async throws(StoreError) -> Scanner {
        try await scan(PostgresQuery(unsafeSQL: "SELECT \(Self.indexColumns) FROM entries"), into: scanner)
    }

    /// Streams the rows of `query` (the index columns) into `scanner`, each borrowed from the
    /// connection's buffers; gives up after `limit` (the whole start-up scan has none).
    private func scan<Scanner: IndexScanner>(_ query: PostgresQuery, into scanner: Scanner, limit: Duration? = nil) async throws(StoreError) -> Scanner {
        try await PostgresErrors.mapping(target) { [client, logger] in
            guard let limit else { return try await Self.scan(query, into: scanner, client: client, logger: logger) }
            return try await Deadline.run(limit) { try await Self.scan(query, into: scanner, client: client, logger: logger) }
        }
    }

    private static func scan<Scanner: IndexScanner>(_ query: PostgresQuery, into scanner: Scanner, client: PostgresClient, logger: Logger) async throws -> Scanner {
        try await PostgresErrors.retryingClosedConnections {
            var scanner = scanner
            for try await row in try await client.query(query, logger: logger) {
                let (id, key, contextKey, embedderID, embedding, createdAt, expiresAt, lastHitAt, size) =
                    try row.decode((Int64, ByteBuffer, ByteBuffer?, ByteBuffer?, ByteBuffer?, Double, Double, Double?, Int).self)
                key.withUnsafeReadableBytes { key in
                    PostgresCodec.withBytes(contextKey) { contextKey in
                        PostgresCodec.withBytes(embedderID) { embedderID in
                            PostgresCodec.withBytes(embedding) { embedding in
                                scanner.visit(IndexRowView(fields: IndexRowFields(
                                    id: id, key: key, contextKey: contextKey, embedderID: embedderID, embedding: embedding,
                                    createdAt: createdAt, expiresAt: expiresAt, lastHitAt: lastHitAt, sizeBytes: size)))
                            }
                        }
                    }
                }
            }
            return scanner
        }
    }

    /// How long one step of a catch-up may take before the replica gives up and tries again at
    /// the next wake-up (a connection that hangs through a database restart must not stop the feed).
    static let feedTimeout: Duration = .seconds(3)

    public func entryCountsByContext() async throws(StoreError) -> [ContextEntryCount] {
        try await rows("SELECT context_key, count(*) FROM entries GROUP BY context_key") { row in
            let (contextKey, count) = try row.decode((ByteBuffer?, Int).self)
            return ContextEntryCount(contextKey: contextKey.map(PostgresCodec.bytes), entries: count)
        }
    }

    public func changeHorizon() async throws(StoreError) -> Int64 {
        try await PostgresErrors.mapping(target) { [client, logger] in
            try await Deadline.run(Self.feedTimeout) {
                try await PostgresErrors.retryingClosedConnections {
                    try await client.withTransaction(logger: logger) { connection in
                        // Waits for the writers holding the lock shared; later writers draw higher numbers.
                        try await connection.query("SELECT pg_advisory_xact_lock(\(Self.feedLock))", logger: logger)
                        let rows = try await connection.query(
                            "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM entry_change_seq", logger: logger)
                        var horizon: Int64 = 0
                        for try await value in rows.decode(Int64.self) { horizon = value }
                        return horizon
                    }
                }
            }
        }
    }

    public func changes(after cursor: Int64, upTo horizon: Int64) async throws(StoreError) -> StoreChanges {
        guard horizon > cursor else { return StoreChanges(upserted: [], deleted: []) }
        let deleted = try await rows(
            "SELECT entry_id FROM entry_deletions WHERE change_seq > \(cursor) AND change_seq <= \(horizon)") { try $0.decode(Int64.self) }
        let upserted = try await scan(PostgresQuery(
            unsafeSQL: "SELECT \(Self.indexColumns) FROM entries WHERE change_seq > $1 AND change_seq <= $2 ORDER BY change_seq",
            binds: Self.binds(cursor, horizon)), into: IndexRowCollector(), limit: Self.feedTimeout).rows
        return StoreChanges(upserted: upserted, deleted: deleted)
    }

    public func allEntryIDs() async throws(StoreError) -> [Int64] {
        try await rows("SELECT id FROM entries ORDER BY id") { try $0.decode(Int64.self) }
    }

    public func wakeUps(pollInterval: Duration) -> AsyncStream<ChangeWakeUp> {
        let (stream, continuation) = AsyncStream.makeStream(of: ChangeWakeUp.self, bufferingPolicy: .bufferingOldest(16))
        let poller = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: pollInterval)
                continuation.yield(.poll)
            }
        }
        let listener = Task { [client, logger] in
            while !Task.isCancelled {
                do {
                    try await client.withConnection { connection in
                        try await connection.listen(on: Self.channel) { notifications in
                            continuation.yield(.reconnected)
                            for try await _ in notifications { continuation.yield(.notified) }
                        }
                    }
                } catch {
                    logger.debug("change listener lost its connection; reconnecting", metadata: ["cause": "\(error)"])
                }
                try? await Task.sleep(for: .milliseconds(200))
            }
            poller.cancel()
            continuation.finish()
        }
        continuation.onTermination = { _ in
            listener.cancel()
            poller.cancel()
        }
        registerListener(listener)
        return stream
    }
}
