import Store
import Synchronization

/// Hits counted in memory and written to the store in one transaction about once a second (and
/// at shutdown), so serving a hit never waits for a write.
final class HitLedger: Sendable {
    private let pending = Mutex<[Int64: HitCount]>([:])

    func record(id: Int64, at time: Double) {
        pending.withLock { counts in
            counts[id, default: HitCount(id: id, count: 0, lastAt: time)].count += 1
            counts[id]?.lastAt = time
        }
    }

    /// Writes what was counted since the last flush.
    func flush(to store: some CacheStoring) async throws(StoreError) {
        let counts = pending.withLock { counts in
            defer { counts.removeAll(keepingCapacity: true) }
            return Array(counts.values)
        }
        try await store.addHits(counts)
    }
}
