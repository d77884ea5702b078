import Synchronization

/// What the exact index knows of a stored entry without reading the store.
public struct IndexedEntry: Sendable, Equatable {
    public var id: Int64
    public var createdAt: Double
    public var expiresAt: Double
}

/// In-memory map from exact key to stored entry, loaded at start-up and kept in step with every
/// store write and delete, so a miss never touches SQLite.
public final class ExactIndex: Sendable {
    private let entries = Mutex<[CacheKey: IndexedEntry]>([:])

    public init() {}

    public func lookup(_ key: CacheKey) -> IndexedEntry? { entries.withLock { $0[key] } }

    public func insert(_ key: CacheKey, _ entry: IndexedEntry) { entries.withLock { $0[key] = entry } }

    /// Adds every entry of `loaded` (the start-up load), adopting the dictionary when the index is empty.
    func load(_ loaded: consuming [CacheKey: IndexedEntry]) {
        let loaded = loaded
        entries.withLock { map in
            if map.isEmpty { map = loaded } else { map.merge(loaded) { _, new in new } }
        }
    }

    /// Removes the key only while it still points at `id` (a newer entry for the key stays).
    public func remove(_ key: CacheKey, ifID id: Int64) {
        entries.withLock { map in
            if map[key]?.id == id { map[key] = nil }
        }
    }

    /// Removes every key whose entry id is in `ids`.
    public func remove(ids: Set<Int64>) {
        guard !ids.isEmpty else { return }
        entries.withLock { map in map = map.filter { !ids.contains($0.value.id) } }
    }

    public var count: Int { entries.withLock { $0.count } }
}
