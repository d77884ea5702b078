import Store
import Synchronization

/// Recently used entries kept in memory, bounded in bytes, so an exact hit on a hot entry needs
/// no SQLite read and can be answered without leaving the connection's event loop. A
/// least-recently-used list (``RecencyList``): a lookup, an insert and each eviction are O(1)
/// under the lock, so a full cache never sorts its slots on the request path.
final class HotEntries: Sendable {
    private struct Slot {
        var id: Int64
        var entry: NewEntry
        var bytes: Int
    }

    private struct State {
        var slots = RecencyList<CacheKey, Slot>()
        var bytes = 0
    }

    private let state = Mutex(State())
    let budget: Int

    init(budget: Int) { self.budget = budget }

    func lookup(_ key: CacheKey) -> (id: Int64, entry: NewEntry)? {
        state.withLock { state in state.slots.use(key).map { ($0.id, $0.entry) } }
    }

    /// Keeps `entry` as the most recently used, evicting the least recently used beyond the budget.
    /// An entry larger than an eighth of the budget is not kept.
    func insert(_ key: CacheKey, id: Int64, entry: NewEntry) {
        let bytes = entry.response.count + (entry.prompt?.utf8.count ?? 0) + 256
        guard budget > 0, bytes <= budget / 8 else { return }
        var stored = entry
        stored.embedding = nil  // vectors live in the vector index
        state.withLock { state in
            if let old = state.slots.set(key, Slot(id: id, entry: stored, bytes: bytes)) { state.bytes -= old.bytes }
            state.bytes += bytes
            while state.bytes > budget, let (_, evicted) = state.slots.removeOldest() {
                state.bytes -= evicted.bytes
            }
        }
    }

    /// Removes each key while it still holds the given id (a newer answer for the key stays).
    func remove(_ keys: some Sequence<(key: CacheKey, id: Int64)>) {
        state.withLock { state in
            for (key, id) in keys where state.slots.peek(key)?.id == id {
                if let slot = state.slots.remove(key) { state.bytes -= slot.bytes }
            }
        }
    }

    /// Entries held.
    var count: Int { state.withLock { $0.slots.count } }
}
