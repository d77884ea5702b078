/// The database schema and its migrations. `PRAGMA user_version` holds the version; each
/// migration runs once, in order, inside one transaction, so a file is always at a known version.
enum Schema {
    /// Migrations by target version, starting at 1. Append only: never edit a shipped one.
    static let migrations: [String] = [
        // 1: entries and their vectors.
        """
        CREATE TABLE entries (
            id                INTEGER PRIMARY KEY,
            key               BLOB NOT NULL UNIQUE,
            context_key       BLOB,
            endpoint          TEXT NOT NULL,
            model             TEXT,
            namespace         TEXT NOT NULL DEFAULT '',
            prompt            TEXT,
            embedding         BLOB,
            embedder_id       TEXT,
            dimension         INTEGER,
            response          BLOB NOT NULL,
            response_kind     TEXT NOT NULL,
            status            INTEGER NOT NULL,
            content_type      TEXT,
            prompt_tokens     INTEGER,
            completion_tokens INTEGER,
            upstream_ms       REAL NOT NULL DEFAULT 0,
            created_at        REAL NOT NULL,
            expires_at        REAL NOT NULL,
            last_hit_at       REAL,
            hits              INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX entries_context ON entries(context_key);
        CREATE INDEX entries_expires ON entries(expires_at);
        """,
        // 2: statistics in one-minute buckets (unix seconds at the start of the minute), and an
        // index for "top entries by hits".
        """
        CREATE TABLE stats_buckets (
            bucket_start            INTEGER NOT NULL,
            endpoint                TEXT NOT NULL,
            model                   TEXT NOT NULL,
            result                  TEXT NOT NULL,
            detail                  TEXT NOT NULL,
            requests                INTEGER NOT NULL DEFAULT 0,
            prompt_tokens_saved     INTEGER NOT NULL DEFAULT 0,
            completion_tokens_saved INTEGER NOT NULL DEFAULT 0,
            cost_saved_usd          REAL NOT NULL DEFAULT 0,
            upstream_ms_saved       REAL NOT NULL DEFAULT 0,
            PRIMARY KEY (bucket_start, endpoint, model, result, detail)
        ) WITHOUT ROWID;
        CREATE TABLE stats_counters (
            bucket_start INTEGER NOT NULL,
            name         TEXT NOT NULL,
            value        REAL NOT NULL DEFAULT 0,
            PRIMARY KEY (bucket_start, name)
        ) WITHOUT ROWID;
        CREATE TABLE stats_latency (
            bucket_start INTEGER NOT NULL,
            name         TEXT NOT NULL,
            le_ms        REAL NOT NULL,
            count        INTEGER NOT NULL DEFAULT 0,
            sum_ms       REAL NOT NULL DEFAULT 0,
            PRIMARY KEY (bucket_start, name, le_ms)
        ) WITHOUT ROWID;
        CREATE INDEX entries_hits ON entries(hits);
        """,
        // 3: properties of the cache as a whole, e.g. `partitioning` (`per-key` or `shared`), which
        // every command that opens the file follows.
        """
        CREATE TABLE settings (
            name  TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;
        """,
        // 4: the highest entry id ever given, so a deleted entry's id is never given again (SQLite
        // reuses the largest rowid once its row is gone). The in-memory indexes, the hit counts and
        // the verification ledger name entries by id; a reused id let a late removal of the old
        // entry take the new one out of memory. What AUTOINCREMENT does, without rebuilding the table.
        """
        CREATE TABLE entry_ids (last INTEGER NOT NULL);
        INSERT INTO entry_ids SELECT coalesce(max(id), 0) FROM entries;
        CREATE TRIGGER entries_last_id AFTER INSERT ON entries
            BEGIN UPDATE entry_ids SET last = NEW.id WHERE NEW.id > last; END;
        """,
    ]

    static var currentVersion: Int { migrations.count }

    /// Sets the connection's pragmas and brings the file to ``currentVersion``.
    static func prepare(_ connection: SQLiteConnection) throws(StoreError) {
        try connection.execute("PRAGMA busy_timeout = 5000")
        try connection.execute("PRAGMA journal_mode = WAL")
        // NORMAL in WAL mode: a commit is durable once the WAL is synced at the next checkpoint;
        // a process crash loses nothing committed, a power loss can lose the last commits.
        try connection.execute("PRAGMA synchronous = NORMAL")
        try connection.execute("PRAGMA foreign_keys = ON")
        let statement = try connection.prepare("PRAGMA user_version")
        let version = try statement.step() ? statement.int(0) : 0
        if version > currentVersion {
            throw StoreError.schemaTooNew(path: connection.path, found: version, supported: currentVersion)
        }
        guard version < currentVersion else { return }
        try connection.transaction { () throws(StoreError) in
            for target in (version + 1)...currentVersion {
                try connection.execute(migrations[target - 1])
            }
            try connection.execute("PRAGMA user_version = \(currentVersion)")
        }
    }
}
