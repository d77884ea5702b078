import Logging
import PostgresNIO
import Store

/// The PostgreSQL schema and its migrations, versioned like the SQLite one: `semcache_schema`
/// holds the version; each migration runs once, in order, in one transaction, under an advisory
/// lock so sidecars starting together migrate once.
enum PostgresSchema {
    /// Serialises migrations across sidecars (`pg_advisory_xact_lock`).
    static let migrationLock: Int64 = 0x73656D6361636865  // "semcache"

    /// Migrations by target version, starting at 1. Append only: never edit a shipped one.
    static let migrations: [[String]] = [
        // 1: entries with their vectors as bytes, deletions for the change feed, the maintenance
        // lease, statistics, settings.
        [
            "CREATE SEQUENCE entry_change_seq",
            """
            CREATE TABLE entries (
                id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                key               bytea NOT NULL UNIQUE,
                context_key       bytea,
                endpoint          text NOT NULL,
                model             text,
                namespace         text NOT NULL DEFAULT '',
                prompt            text,
                embedding         bytea,
                embedder_id       text,
                dimension         integer,
                response          bytea NOT NULL,
                response_kind     text NOT NULL,
                status            integer NOT NULL,
                content_type      text,
                prompt_tokens     bigint,
                completion_tokens bigint,
                upstream_ms       double precision NOT NULL DEFAULT 0,
                created_at        double precision NOT NULL,
                expires_at        double precision NOT NULL,
                last_hit_at       double precision,
                hits              bigint NOT NULL DEFAULT 0,
                change_seq        bigint NOT NULL
            )
            """,
            "CREATE INDEX entries_context ON entries(context_key)",
            "CREATE INDEX entries_expires ON entries(expires_at)",
            "CREATE INDEX entries_hits ON entries(hits)",
            "CREATE INDEX entries_change ON entries(change_seq)",
            """
            CREATE TABLE entry_deletions (
                change_seq bigint PRIMARY KEY,
                entry_id   bigint NOT NULL,
                deleted_at double precision NOT NULL
            )
            """,
            """
            CREATE TABLE maintenance_lease (
                id         integer PRIMARY KEY,
                holder     text NOT NULL,
                expires_at double precision NOT NULL
            )
            """,
            """
            CREATE TABLE stats_buckets (
                bucket_start            bigint NOT NULL,
                endpoint                text NOT NULL,
                model                   text NOT NULL,
                result                  text NOT NULL,
                detail                  text NOT NULL,
                requests                bigint NOT NULL DEFAULT 0,
                prompt_tokens_saved     bigint NOT NULL DEFAULT 0,
                completion_tokens_saved bigint NOT NULL DEFAULT 0,
                cost_saved_usd          double precision NOT NULL DEFAULT 0,
                upstream_ms_saved       double precision NOT NULL DEFAULT 0,
                PRIMARY KEY (bucket_start, endpoint, model, result, detail)
            )
            """,
            """
            CREATE TABLE stats_counters (
                bucket_start bigint NOT NULL,
                name         text NOT NULL,
                value        double precision NOT NULL DEFAULT 0,
                PRIMARY KEY (bucket_start, name)
            )
            """,
            """
            CREATE TABLE stats_latency (
                bucket_start bigint NOT NULL,
                name         text NOT NULL,
                le_ms        double precision NOT NULL,
                count        bigint NOT NULL DEFAULT 0,
                sum_ms       double precision NOT NULL DEFAULT 0,
                PRIMARY KEY (bucket_start, name, le_ms)
            )
            """,
            // Cache-wide settings, as in SQLite (the partitioning mode).
            "CREATE TABLE settings (name text PRIMARY KEY, value text NOT NULL)",
        ],
    ]

    static var currentVersion: Int { migrations.count }

    /// Brings the database to ``currentVersion``; refuses a newer one.
    static func prepare(_ client: PostgresClient, location: PostgresLocation, logger: Logger) async throws(StoreError) {
        try await PostgresErrors.mapping(location) {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
                try await connection.query("CREATE TABLE IF NOT EXISTS semcache_schema (version integer NOT NULL)", logger: logger)
                var version = 0
                for try await (found,) in try await connection.query("SELECT version FROM semcache_schema", logger: logger).decode((Int,).self) {
                    version = found
                }
                if version > currentVersion {
                    throw StoreError.database(
                        "schema version \(version) is newer than this semcache supports (\(currentVersion)); upgrade semcache",
                        location: location.description)
                }
                guard version < currentVersion else { return }
                for target in (version + 1)...currentVersion {
                    for statement in migrations[target - 1] {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                }
                try await connection.query("DELETE FROM semcache_schema", logger: logger)
                try await connection.query("INSERT INTO semcache_schema (version) VALUES (\(currentVersion))", logger: logger)
            }
        }
    }
}
