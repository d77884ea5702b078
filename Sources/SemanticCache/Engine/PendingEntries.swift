import Store
import Synchronization

/// Responses that completed and are being written to the store. They answer lookups from memory
/// until the store has them, so a client that repeats a request as soon as it has the answer
/// already gets a hit, while the store write stays off the response path.
final class PendingEntries: Sendable {
    private let entries = Mutex<[CacheKey: NewEntry]>([:])

    func insert(_ key: CacheKey, _ entry: NewEntry) { entries.withLock { $0[key] = entry } }

    func lookup(_ key: CacheKey) -> NewEntry? { entries.withLock { $0[key] } }

    func remove(_ key: CacheKey) { entries.withLock { $0[key] = nil } }
}
