import Store
import Synchronization

/// Answers whose store write failed (the database is down or restarting), kept in memory, bounded,
/// until a retry writes them. They stay in ``PendingEntries`` meanwhile, so they answer exact
/// lookups from memory; one that does not fit is dropped.
final class WriteBacklog: Sendable {
    /// One answer waiting for its store write.
    struct Item: Sendable {
        let key: CacheKey
        let context: CacheKey?
        let entry: NewEntry

        var bytes: Int { entry.response.count + (entry.prompt?.utf8.count ?? 0) }
    }

    private struct State {
        var items: [Item] = []
        var bytes = 0
    }

    private let state = Mutex(State())
    let maxEntries: Int
    let maxBytes: Int

    init(maxEntries: Int, maxBytes: Int) {
        self.maxEntries = maxEntries
        self.maxBytes = maxBytes
    }

    /// Queues `item`; false (and nothing queued) when the backlog is full.
    func append(_ item: Item) -> Bool {
        state.withLock { state in
            guard state.items.count < maxEntries, state.bytes + item.bytes <= maxBytes else { return false }
            state.items.append(item)
            state.bytes += item.bytes
            return true
        }
    }

    /// Everything queued, oldest first, leaving the backlog empty.
    func takeAll() -> [Item] {
        state.withLock { state in
            defer { state = State() }
            return state.items
        }
    }

    /// Puts back items a retry could not write, ahead of anything queued since.
    func putBack(_ items: some Collection<Item>) {
        state.withLock { state in
            state.items.insert(contentsOf: items, at: 0)
            state.bytes += items.reduce(0) { $0 + $1.bytes }
        }
    }

    var count: Int { state.withLock { $0.items.count } }
}
