extension CacheStore {
    /// Opens an existing store without ever writing to it (no migration, no pragmas that write),
    /// for inspecting a file that a running sidecar may be using. Writes through the returned
    /// store fail with SQLite's read-only error.
    public static func openReadOnly(path: String) async throws(StoreError) -> CacheStore {
        let connection = SerialConnection(try SQLiteConnection(path: path, readOnly: true), label: "semcache.store.read-only")
        try await connection.read { connection throws(StoreError) in
            try connection.execute("PRAGMA busy_timeout = 5000")
            let statement = try connection.prepare("PRAGMA user_version")
            let version = try statement.step() ? statement.int(0) : 0
            if version > Schema.currentVersion {
                throw StoreError.schemaTooNew(path: connection.path, found: version, supported: Schema.currentVersion)
            }
            if version < Schema.currentVersion {
                throw StoreError.schemaTooOld(path: connection.path, found: version, supported: Schema.currentVersion)
            }
        }
        return CacheStore(path: path, writer: connection, reader: connection)
    }
}
