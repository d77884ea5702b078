import Store
import Synchronization

/// Recently used entries kept in memory, bounded in bytes, so an exact hit on a hot entry needs
/// no SQLite read and can be answered without leaving the connection's event loop. Evicts the
/// least recently used tenth when over budget. Purges remove entries by id.
final class HotEntries: Sendable {
    private struct Slot {
        var id: Int64
        var entry: NewEntry
        var lastUse: UInt64
        var bytes: Int
    }

    private struct State {
        var slots: [CacheKey: Slot] = [:]
        var bytes = 0
        var clock: UInt64 = 0
    }

    private let state = Mutex(State())
    let budget: Int

    init(budget: Int) { self.budget = budget }

    func lookup(_ key: CacheKey) -> (id: Int64, entry: NewEntry)? {
        state.withLock { state in
            guard let index = state.slots.index(forKey: key) else { return nil }
            state.clock += 1
            state.slots.values[index].lastUse = state.clock  // in place: no copy of the entry
            let slot = state.slots.values[index]
            return (slot.id, slot.entry)
        }
    }

    func insert(_ key: CacheKey, id: Int64, entry: NewEntry) {
        let bytes = entry.response.count + (entry.prompt?.utf8.count ?? 0) + 256
        guard budget > 0, bytes <= budget / 8 else { return }
        state.withLock { state in
            state.clock += 1
            if let old = state.slots[key] { state.bytes -= old.bytes }
            var stored = entry
            stored.embedding = nil  // vectors live in the vector index
            state.slots[key] = Slot(id: id, entry: stored, lastUse: state.clock, bytes: bytes)
            state.bytes += bytes
            guard state.bytes > budget else { return }
            let victims = state.slots.sorted { $0.value.lastUse < $1.value.lastUse }.prefix(max(1, state.slots.count / 10))
            for (victim, slot) in victims {
                state.slots[victim] = nil
                state.bytes -= slot.bytes
            }
        }
    }

    func remove(ids: Set<Int64>) {
        guard !ids.isEmpty else { return }
        state.withLock { state in
            for (key, slot) in state.slots where ids.contains(slot.id) {
                state.slots[key] = nil
                state.bytes -= slot.bytes
            }
        }
    }
}
