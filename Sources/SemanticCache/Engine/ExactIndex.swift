import Synchronization

/// What the exact index knows of a stored entry without reading the store.
public struct IndexedEntry: Sendable, Equatable {
    public var id: Int64
    public var createdAt: Double
    public var expiresAt: Double
}

/// In-memory map from exact key to stored entry, loaded at start-up and kept in step with every
/// store write and delete (by ``CacheMemory``), so a miss never touches the store. Removal goes by
/// key: ``CacheMemory`` knows each id's key from the ``EntryLedger``, so forgetting ids costs
/// O(ids), not a pass over the map.
final class ExactIndex: Sendable {
    private let entries = Mutex<[CacheKey: IndexedEntry]>([:])

    func lookup(_ key: CacheKey) -> IndexedEntry? { entries.withLock { $0[key] } }

    /// Sets `key`'s entry; returns the one it replaced.
    @discardableResult
    func insert(_ key: CacheKey, _ entry: IndexedEntry) -> IndexedEntry? {
        entries.withLock { $0.updateValue(entry, forKey: key) }
    }

    /// Adds every entry of `loaded` (the start-up load), adopting the dictionary when the index is empty.
    func load(_ loaded: consuming [CacheKey: IndexedEntry]) {
        let loaded = loaded
        entries.withLock { map in
            if map.isEmpty { map = loaded } else { map.merge(loaded) { _, new in new } }
        }
    }

    /// Removes each key while it still points at the given id (a newer entry for the key stays).
    func remove(_ keys: some Sequence<(key: CacheKey, id: Int64)>) {
        entries.withLock { map in
            for (key, id) in keys where map[key]?.id == id { map[key] = nil }
        }
    }

    var count: Int { entries.withLock { $0.count } }
}
