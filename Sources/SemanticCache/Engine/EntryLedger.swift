import Store
import Synchronization

/// The key, size and recency of every stored entry, kept in memory so the eviction budget is
/// checked without scanning the store, the least recently hit entries are found without a query,
/// and ``CacheMemory`` finds the exact key of an id it forgets without a pass over the exact index.
final class EntryLedger: Sendable {
    struct Item {
        /// Nil only for a row whose key is not 32 bytes (never made by semcache).
        var key: CacheKey?
        var bytes: Int
        /// Unix time of the last hit, or of creation when never hit.
        var recency: Double
    }

    private struct State {
        var items: [Int64: Item] = [:]
        var bytes = 0
    }

    private let state = Mutex(State())

    /// Loads the entries of the store at start-up (adopting `items` when the ledger is empty).
    func load(_ items: consuming [Int64: Item]) {
        let loaded = items
        state.withLock { state in
            guard !state.items.isEmpty else {
                state.bytes = loaded.values.reduce(0) { $0 + $1.bytes }
                state.items = loaded
                return
            }
            for (id, item) in loaded { Self.set(&state, id: id, item) }
        }
    }

    /// Records a stored (or replaced) entry; returns the item it replaced.
    @discardableResult
    func record(id: Int64, _ item: Item) -> Item? {
        state.withLock { Self.set(&$0, id: id, item) }
    }

    /// Records a hit on an entry.
    func touch(id: Int64, at time: Double) {
        state.withLock { state in state.items[id]?.recency = time }
    }

    /// Forgets `ids`; returns the key each removed one had.
    func remove(ids: some Sequence<Int64>) -> [(key: CacheKey, id: Int64)] {
        state.withLock { state in
            var removed: [(key: CacheKey, id: Int64)] = []
            for id in ids {
                guard let item = state.items.removeValue(forKey: id) else { continue }
                state.bytes -= item.bytes
                if let key = item.key { removed.append((key, id)) }
            }
            return removed
        }
    }

    func contains(id: Int64) -> Bool { state.withLock { $0.items[id] != nil } }

    /// The ids of every entry held.
    var ids: [Int64] { state.withLock { Array($0.items.keys) } }

    /// Entries and bytes held.
    var usage: StoreUsage { state.withLock { StoreUsage(entries: $0.items.count, bytes: $0.bytes) } }

    /// The least recently hit entries whose removal brings the ledger within `budget`, oldest first.
    /// Only a flat copy of the ledger is taken under the lock; the sort runs outside it, so hits
    /// recording their recency (on the event loops) do not wait for it.
    func overBudget(_ budget: EvictionBudget) -> [Int64] {
        let snapshot = state.withLock { state -> (entries: Int, bytes: Int, items: [(recency: Double, id: Int64, bytes: Int)])? in
            guard !budget.allows(entries: state.items.count, bytes: state.bytes) else { return nil }
            return (state.items.count, state.bytes, state.items.map { ($0.value.recency, $0.key, $0.value.bytes) })
        }
        guard var (entries, bytes, items) = snapshot else { return [] }
        items.sort { ($0.recency, $0.id) < ($1.recency, $1.id) }
        var victims: [Int64] = []
        for item in items {
            guard !budget.allows(entries: entries, bytes: bytes) else { break }
            victims.append(item.id)
            entries -= 1
            bytes -= item.bytes
        }
        return victims
    }

    @discardableResult
    private static func set(_ state: inout State, id: Int64, _ item: Item) -> Item? {
        let old = state.items.updateValue(item, forKey: id)
        state.bytes += item.bytes - (old?.bytes ?? 0)
        return old
    }
}

/// Limits on what the store holds; nil means unlimited.
public struct EvictionBudget: Sendable, Equatable {
    /// Most entries kept (`--max-entries`).
    public var maxEntries: Int?
    /// Most bytes of responses, prompts and vectors kept (`--max-bytes`).
    public var maxBytes: Int?

    public init(maxEntries: Int? = nil, maxBytes: Int? = nil) {
        self.maxEntries = maxEntries
        self.maxBytes = maxBytes
    }

    /// Whether `entries` and `bytes` are within the budget.
    public func allows(entries: Int, bytes: Int) -> Bool {
        entries <= (maxEntries ?? .max) && bytes <= (maxBytes ?? .max)
    }

    /// Whether any limit is set.
    public var isLimited: Bool { maxEntries != nil || maxBytes != nil }
}
