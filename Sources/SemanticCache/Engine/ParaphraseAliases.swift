import Synchronization

/// A request that a semantic hit answered, remembered by its exact key so that the same request
/// again is answered without embedding and searching (see ``CacheMemory/alias(for:rule:)``).
struct ParaphraseAlias: Sendable, Equatable {
    /// The exact key of the entry that answered.
    var entryKey: CacheKey
    /// That entry as the exact index knew it then: the alias holds only while it is unchanged
    /// (not replaced, purged, evicted, expired or deleted by another sidecar).
    var entry: IndexedEntry
    /// The similarity of the hit, repeated in the answers the alias gives.
    var similarity: Float
    /// The hit rule's score of the hit (what verification judges it by).
    var score: Double
    /// The rule that accepted the hit: a request judged by another (another threshold) searches again.
    var rule: HitRule
}

/// The remembered paraphrases, bounded in number (least recently used first out), with each
/// entry's aliases listed by entry id so forgetting entries costs O(their aliases). One alias
/// takes about 300 bytes (its key and the alias in a list node, a dictionary slot, its place in
/// its entry's list), so 65,536 take about 20 MiB.
final class ParaphraseAliases: Sendable {
    private struct State {
        var aliases = RecencyList<CacheKey, ParaphraseAlias>()
        /// The keys of the aliases of each entry id.
        var keysByEntry: [Int64: [CacheKey]] = [:]

        mutating func unlist(_ key: CacheKey, from id: Int64) {
            keysByEntry[id]?.removeAll { $0 == key }
            if keysByEntry[id]?.isEmpty == true { keysByEntry[id] = nil }
        }
    }

    private let state = Mutex(State())
    /// Most aliases kept; 0 disables remembering.
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// The alias of `key`, which becomes the most recently used.
    func lookup(_ key: CacheKey) -> ParaphraseAlias? {
        guard capacity > 0 else { return nil }
        return state.withLock { $0.aliases.use(key) }
    }

    /// Remembers `alias` for `key` (replacing its previous one), forgetting the least recently
    /// used alias beyond ``capacity``.
    func remember(_ key: CacheKey, _ alias: ParaphraseAlias) {
        guard capacity > 0 else { return }
        state.withLock { state in
            if let old = state.aliases.set(key, alias) { state.unlist(key, from: old.entry.id) }
            state.keysByEntry[alias.entry.id, default: []].append(key)
            while state.aliases.count > capacity, let (evicted, old) = state.aliases.removeOldest() {
                state.unlist(evicted, from: old.entry.id)
            }
        }
    }

    func forget(_ key: CacheKey) {
        state.withLock { state in
            if let old = state.aliases.remove(key) { state.unlist(key, from: old.entry.id) }
        }
    }

    /// Forgets every alias answered by one of `ids`.
    func forget(entryIDs ids: some Sequence<Int64>) {
        state.withLock { state in
            for id in ids {
                for key in state.keysByEntry.removeValue(forKey: id) ?? [] { state.aliases.remove(key) }
            }
        }
    }

    var count: Int { state.withLock { $0.aliases.count } }
}
