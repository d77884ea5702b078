import PostgresNIO
import Store

/// Cache-wide settings (the partitioning mode), shared by the fleet.
extension PostgresCacheStore {
    public func setting(_ name: String) async throws(StoreError) -> String? {
        try await rows("SELECT value FROM settings WHERE name = \(name)") { try $0.decode(String.self) }.first
    }

    public func setSetting(_ name: String, to value: String) async throws(StoreError) {
        try await run("INSERT INTO settings (name, value) VALUES (\(name), \(value)) ON CONFLICT (name) DO UPDATE SET value = excluded.value")
    }

    public func isEmpty() async throws(StoreError) -> Bool {
        try await rows("SELECT NOT EXISTS (SELECT 1 FROM entries)") { try $0.decode(Bool.self) }.first ?? true
    }
}
