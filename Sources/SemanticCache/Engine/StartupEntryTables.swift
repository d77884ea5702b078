import Dispatch
import Synchronization

/// Builds the exact-key map and the eviction ledger at start-up from chunks of scanned entries, on a
/// queue of its own, so that hashing a million keys overlaps with the store scan producing them
/// instead of following it.
final class StartupEntryTables: Sendable {
    /// What both tables need of one entry.
    struct Entry {
        var id: Int64
        var createdAt: Double
        var expiresAt: Double
        var item: EntryLedger.Item
    }

    private struct Tables {
        var exact: [CacheKey: IndexedEntry] = [:]
        var ledger: [Int64: EntryLedger.Item] = [:]
    }

    private let queue = DispatchQueue(label: "semcache.startup.entries")
    /// Only touched on `queue`; the lock is never contended.
    private let tables = Mutex(Tables())

    /// `capacity`: the number of entries expected.
    init(capacity: Int) {
        tables.withLock { tables in
            tables.exact.reserveCapacity(capacity)
            tables.ledger.reserveCapacity(capacity)
        }
    }

    /// Adds `chunk` after the chunks added before, without waiting.
    func add(_ chunk: [Entry]) {
        queue.async { [self] in
            self.tables.withLock { tables in
                for entry in chunk {
                    if let key = entry.item.key {
                        tables.exact[key] = IndexedEntry(id: entry.id, createdAt: entry.createdAt, expiresAt: entry.expiresAt)
                    }
                    tables.ledger[entry.id] = entry.item
                }
            }
        }
    }

    /// Waits for every added chunk and hands the tables over (leaving these empty, so the caller's
    /// copies are unique and are not copied on their next change).
    func take() async -> (exact: [CacheKey: IndexedEntry], ledger: [Int64: EntryLedger.Item]) {
        await withCheckedContinuation { continuation in
            queue.async { [self] in
                let taken = self.tables.withLock { tables in
                    defer { tables = Tables() }
                    return (tables.exact, tables.ledger)
                }
                continuation.resume(returning: taken)
            }
        }
    }
}
