import PostgresNIO
import Store

/// One janitor for the fleet: a lease row that one sidecar at a time holds and renews.
extension PostgresCacheStore {
    /// Takes the lease when it is free or expired, renews it when `holder` has it; the server's
    /// clock decides, so the sidecars' clocks need not agree. A lease row rather than a session
    /// advisory lock: it needs no connection held open, and survives reconnects of the holder.
    public func claimMaintenance(holder: String, lease: Duration) async throws(StoreError) -> Bool {
        let seconds = Double(lease.components.seconds) + Double(lease.components.attoseconds) / 1e18
        let claimed = try await rows("""
            INSERT INTO maintenance_lease AS l (id, holder, expires_at)
            VALUES (1, \(holder), extract(epoch FROM clock_timestamp()) + \(seconds))
            ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE l.holder = excluded.holder OR l.expires_at < extract(epoch FROM clock_timestamp())
            RETURNING holder
            """) { try $0.decode(String.self) }
        return claimed == [holder]
    }

    /// Forgets deletion records older than `age` seconds: a replica that was away longer catches
    /// up fully when its listener reconnects. Returns how many it removed.
    @discardableResult
    public func pruneDeletions(olderThan age: Double) async throws(StoreError) -> Int {
        try await rows("""
            WITH gone AS (DELETE FROM entry_deletions WHERE deleted_at < extract(epoch FROM clock_timestamp()) - \(age) RETURNING 1)
            SELECT count(*) FROM gone
            """) { try $0.decode(Int.self) }.first ?? 0
    }
}
