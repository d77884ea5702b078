extension CacheStore {
    /// The value of the cache-wide setting `name` (schema version 3), or nil when it was never set.
    public func setting(_ name: String) async throws(StoreError) -> String? {
        try await reader.read { connection throws(StoreError) in
            let statement = try connection.cachedStatement("SELECT value FROM settings WHERE name = ?")
            try statement.bind(.text(name))
            defer { statement.reset() }
            return try statement.step() ? statement.text(0) : nil
        }
    }

    /// Sets the cache-wide setting `name` to `value`.
    public func setSetting(_ name: String, to value: String) async throws(StoreError) {
        try await writer.write { connection throws(StoreError) in
            let statement = try connection.cachedStatement(
                "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value")
            try statement.bind(.text(name), .text(value)).run()
        }
    }
}

extension CacheStore {
    /// Whether the store holds no entries (one index probe, no scan).
    public func isEmpty() async throws(StoreError) -> Bool {
        try await reader.read { connection throws(StoreError) in
            let statement = try connection.cachedStatement("SELECT NOT EXISTS (SELECT 1 FROM entries)")
            defer { statement.reset() }
            return try statement.step() && statement.int(0) == 1
        }
    }
}
