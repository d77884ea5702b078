import Logging
import NIOCore
import PostgresNIO
import Store
import Synchronization

/// The cache store of a fleet: every sidecar of the fleet opens the same PostgreSQL database, which
/// holds the entries (vectors as bytes beside them), hit counts, statistics and the change feed
/// (``CacheChangeFeed``) through which each sidecar keeps its in-memory indexes as a replica.
///
/// Writes that change entries take a shared advisory lock for their transaction and draw a
/// `change_seq` from one sequence; ``changeHorizon()`` takes the lock exclusively for an instant,
/// so every number at or below the sequence's value then belongs to a committed transaction.
public final class PostgresCacheStore: CacheChangeFeed {
    /// The database, without its password.
    public let location: String
    let client: PostgresClient
    let logger: Logger
    let target: PostgresLocation
    /// The longest a read or write that a request may wait for takes before it fails.
    let timeout: Duration
    private let runner: Task<Void, Never>
    private let listeners = Mutex<[Task<Void, Never>]>([])

    /// Writers hold it shared, the horizon exclusively (`pg_advisory_xact_lock`).
    static let feedLock: Int64 = 0x73656D6665656400  // "semfeed"
    /// The channel writers notify on commit.
    static let channel = "semcache_changes"

    private init(target: PostgresLocation, client: PostgresClient, runner: Task<Void, Never>, timeout: Duration, logger: Logger) {
        self.target = target
        self.timeout = timeout
        self.location = target.description
        self.client = client
        self.runner = runner
        self.logger = logger
    }

    /// Connects, creates or migrates the schema, and returns the store; fails when the database
    /// cannot be reached within `connectTimeout`. Reads and writes that requests wait for fail
    /// after `timeout` (the cache then fails open).
    public static func open(
        _ target: PostgresLocation, connectTimeout: Duration = .seconds(5), timeout: Duration = .seconds(2), logger: Logger
    ) async throws(StoreError) -> PostgresCacheStore {
        var configuration = PostgresClient.Configuration(
            host: target.host, port: target.port, username: target.user, password: target.password,
            database: target.database, tls: target.tls.clientTLS)
        configuration.options.connectTimeout = connectTimeout
        configuration.options.maximumConnections = 8
        // The pool says "connection creation failed" at info on every retry: only worth it when debugging.
        var poolLogger = logger
        if poolLogger.logLevel == .info { poolLogger.logLevel = .notice }
        let client = PostgresClient(configuration: configuration, backgroundLogger: poolLogger)
        let runner = Task.immediate { await client.run() }
        let store = PostgresCacheStore(target: target, client: client, runner: runner, timeout: timeout, logger: logger)
        do {
            // The pool retries a database it cannot reach for ever; opening gives up.
            try await PostgresErrors.mapping(target) {
                try await Deadline.run(connectTimeout) {
                    try await PostgresSchema.prepare(client, location: target, logger: logger)
                }
            }
        } catch {
            await store.close()
            throw error
        }
        return store
    }

    deinit {
        for listener in listeners.withLock({ $0 }) { listener.cancel() }
        runner.cancel()
    }

    /// Stops the listener and closes every connection.
    public func close() async {
        for listener in listeners.withLock({ $0 }) { listener.cancel() }
        runner.cancel()
        await runner.value
    }

    /// Runs `body` in a transaction that changes entries: holds the feed lock shared and notifies
    /// the other sidecars on commit. Writes happen after the client has its answer, so they may
    /// take five store timeouts (a burst of misses queues for the pool's connections).
    func changingEntries<Result: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> Result) async throws(StoreError) -> Result {
        try await PostgresErrors.mapping(target) { [client, logger, timeout] in
            try await Deadline.run(timeout * 5) {
                try await PostgresErrors.retryingClosedConnections {
                    try await client.withTransaction(logger: logger) { connection in
                        try await connection.query("SELECT pg_advisory_xact_lock_shared(\(Self.feedLock))", logger: logger)
                        let result = try await body(connection)
                        try await connection.query("SELECT pg_notify(\(Self.channel), '')", logger: logger)
                        return result
                    }
                }
            }
        }
    }

    /// Runs one statement outside an explicit transaction.
    func run(_ query: PostgresQuery) async throws(StoreError) {
        try await PostgresErrors.mapping(target) { [client, logger, timeout] in
            try await Deadline.run(timeout) {
                try await PostgresErrors.retryingClosedConnections { _ = try await client.query(query, logger: logger) }
            }
        }
    }

    /// Runs a query and decodes every row with `decode`.
    func rows<Row: Sendable>(_ query: PostgresQuery, _ decode: @escaping @Sendable (PostgresRow) throws -> Row) async throws(StoreError) -> [Row] {
        try await PostgresErrors.mapping(target) { [client, logger, timeout] in
            try await Deadline.run(timeout) {
                try await PostgresErrors.retryingClosedConnections {
                    var rows: [Row] = []
                    for try await row in try await client.query(query, logger: logger) { rows.append(try decode(row)) }
                    return rows
                }
            }
        }
    }

    func registerListener(_ task: Task<Void, Never>) {
        listeners.withLock { $0.append(task) }
    }
}

extension PostgresLocation.TLSMode {
    /// As libpq's modes of these names: encrypted when asked, the certificate not verified.
    var clientTLS: PostgresClient.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        switch self {
        case .disable: return .disable
        case .prefer: return .prefer(tls)
        case .require: return .require(tls)
        }
    }
}
