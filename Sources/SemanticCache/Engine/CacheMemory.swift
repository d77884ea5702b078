import Store
import VectorIndex

/// The one owner of what the cache holds in memory: the exact index (key → entry), the answers
/// being written (``PendingEntries``), the hot entries, the eviction ledger (id → key, size,
/// recency), the hit counts not yet written, the vectors (``SemanticIndex``) and the remembered
/// paraphrases (``ParaphraseAliases``). The pipeline says what happened — an entry was stored,
/// ids were removed, the store was loaded, a hit was served — and this type updates every
/// structure concerned; no other code touches them.
///
/// Invariants, kept here and only here:
/// - Every entry this process knows the store to hold is in the exact index under its key and in
///   the ledger under its id, with that key; its vector, when it has one of the embedder's space,
///   is in the vector index under its id.
/// - Hot entries are copies of stored entries, under the same key and id.
/// - Forgetting an id removes it everywhere: its key (while the key still points at it), its hot
///   slot, its vector, its ledger item, its aliases.
/// - An alias is served only while its key has no entry of its own and its entry is in the exact
///   index unchanged; an entry replaced under its key loses its aliases.
///
/// Each structure keeps its own lock, held for a dictionary operation or a few, never across an
/// `await`: exact hits are answered on the NIO event loops (``CachePipeline/prepare(_:)``) and
/// must not wait behind an eviction batch or a replica catch-up. So a compound change is not
/// atomic across structures. Where a reader could otherwise resurrect what a concurrent removal
/// took out (a store read filling the hot entries, a vector computed after the store write), the
/// writer adds first and then checks the ledger or the exact index, which removals clear first.
final class CacheMemory: Sendable {
    /// The embedder and the vectors of stored prompts; nil without an embedder.
    let semantic: SemanticIndex?
    private let exact = ExactIndex()
    private let pending = PendingEntries()
    private let hot: HotEntries
    private let ledger = EntryLedger()
    private let hits = HitLedger()
    private let aliases: ParaphraseAliases

    /// `hotEntryBytes` bounds the hot entries, `aliasCapacity` the remembered paraphrases (0: none).
    init(semantic: SemanticIndex?, hotEntryBytes: Int, aliasCapacity: Int) {
        self.semantic = semantic
        hot = HotEntries(budget: hotEntryBytes)
        aliases = ParaphraseAliases(capacity: aliasCapacity)
    }

    // MARK: Start-up

    /// Adds the vectors of the start-up scan.
    func load(vectors: consuming VectorBatch) {
        semantic?.load(vectors)
    }

    /// Adds the keys and ledger items of the start-up scan.
    func load(exact loaded: consuming [CacheKey: IndexedEntry], ledger items: consuming [Int64: EntryLedger.Item]) {
        exact.load(loaded)
        ledger.load(items)
    }

    // MARK: Lookups

    /// An answer held in memory for `key`: being written (no id yet), or hot.
    func answerInMemory(for key: CacheKey) -> (id: Int64?, entry: NewEntry)? {
        if let entry = pending.lookup(key) { return (nil, entry) }
        return hot.lookup(key).map { ($0.id, $0.entry) }
    }

    /// What the exact index knows of `key`'s stored entry.
    func indexedEntry(for key: CacheKey) -> IndexedEntry? { exact.lookup(key) }

    /// Whether an unexpired entry with `key` is stored or being stored.
    func isStored(_ key: CacheKey, now: Double) -> Bool {
        if pending.lookup(key) != nil { return true }
        return exact.lookup(key).map { $0.expiresAt > now } ?? false
    }

    /// The `k` stored prompts of `context` nearest to `vector`, best first.
    func nearest(_ vector: [Float], context: CacheKey, k: Int) -> [VectorMatch] {
        semantic?.nearest(vector, context: context, k: k) ?? []
    }

    /// The `k` stored prompts nearest to `vector` in any context, best first.
    func nearestInAnyContext(_ vector: [Float], k: Int) -> [VectorMatch] {
        guard let semantic else { return [] }
        return semantic.vectors.searchAllContexts(vector, space: semantic.space, k: k)
    }

    /// Entries in the exact index.
    var entryCount: Int { exact.count }

    /// Entries and bytes held, as the eviction budget counts them.
    var usage: StoreUsage { ledger.usage }

    /// The ids of every entry held.
    var ids: [Int64] { ledger.ids }

    /// The least recently hit entries whose removal brings the cache within `budget`, oldest first.
    func overBudget(_ budget: EvictionBudget) -> [Int64] { ledger.overBudget(budget) }

    // MARK: Writing answers

    /// Makes an answer that completed answer exact lookups at once, before the store has it.
    func stage(_ key: CacheKey, _ entry: NewEntry) { pending.insert(key, entry) }

    /// The answer staged for `key`, while it waits for its store write.
    func pendingEntry(for key: CacheKey) -> NewEntry? { pending.lookup(key) }

    /// Drops a staged answer that will not be stored.
    func dropPending(_ key: CacheKey) { pending.remove(key) }

    /// A staged answer was stored as `id`: it is indexed (its vector too, when it has one), kept
    /// hot, and leaves the pending answers.
    func stored(_ key: CacheKey, id: Int64, entry: NewEntry, context: CacheKey?) {
        index(key, id: id, entry: entry, context: context)
        keepHot(key, id: id, entry: entry)
        pending.remove(key)
    }

    /// An entry written in a batch (prewarm, restore) was stored as `id`: it is indexed, its
    /// vector too, but not kept hot (nothing asked for it yet).
    func storedInBatch(_ key: CacheKey, id: Int64, entry: NewEntry, context: CacheKey?) {
        index(key, id: id, entry: entry, context: context)
    }

    /// A vector computed after the entry was stored (its lookup did not need one). Not kept when
    /// the entry was removed meanwhile.
    func storedVector(_ vector: [Float], id: Int64, context: CacheKey) {
        guard let semantic else { return }
        semantic.insert(id: id, vector: vector, context: context)
        if !ledger.contains(id: id) { semantic.remove(ids: [id]) }
    }

    /// A stored entry was read for a hit: it stays in memory while it is used. Not kept when the
    /// entry was removed or replaced meanwhile.
    func keepHot(_ key: CacheKey, id: Int64, entry: NewEntry) {
        hot.insert(key, id: id, entry: entry)
        if exact.lookup(key)?.id != id { hot.remove([(key, id)]) }
    }

    /// Entries another sidecar stored or replaced (the change feed of a fleet's store): indexed,
    /// vectors of this embedder's space included; a replaced answer leaves the hot entries.
    func replicated(_ rows: [IndexRow]) {
        for row in rows {
            guard let key = CacheKey(bytes: row.key) else { continue }
            let indexed = IndexedEntry(id: row.id, createdAt: row.createdAt, expiresAt: row.expiresAt)
            index(key, indexed, EntryLedger.Item(key: key, bytes: row.sizeBytes, recency: row.lastHitAt ?? row.createdAt))
            guard let semantic, row.embedderID == semantic.space.embedderID, let vector = row.embedding,
                let context = row.contextKey.flatMap({ CacheKey(bytes: $0) })
            else { continue }
            semantic.insert(id: row.id, vector: vector, context: context)
        }
    }

    // MARK: Removing

    /// Entries the store no longer has (purged, evicted, expired, deleted by another sidecar):
    /// forgotten everywhere, in O(ids).
    func forget(ids: [Int64]) {
        guard !ids.isEmpty else { return }
        let keys = ledger.remove(ids: ids)
        exact.remove(keys)
        hot.remove(keys)
        semantic?.remove(ids: ids)
        aliases.forget(entryIDs: ids)
    }

    /// `key` no longer finds `id` in the store (deleted behind this process's back): the key is
    /// dropped from the exact index, and `id` from nothing else (it may hold another key now).
    func forgetIndexed(_ key: CacheKey, ifID id: Int64) {
        exact.remove([(key, id)])
    }

    // MARK: Hits

    /// A hit on `id` was served: it becomes recent for eviction and, when `counted` (not an
    /// identical request's answer shared by coalescing), one more hit for the store.
    func recordHit(id: Int64, at time: Double, counted: Bool) {
        if counted { hits.record(id: id, at: time) }
        ledger.touch(id: id, at: time)
    }

    /// Writes the hits counted since the last flush.
    func flushHits(to store: some CacheStoring) async throws(StoreError) {
        try await hits.flush(to: store)
    }

    /// Bytes an entry counts for in the budget: the response, the prompt and its vector (one is
    /// computed after storing when the lookup did not need it).
    func budgetBytes(of entry: NewEntry) -> Int {
        let dimension = entry.embedding?.count ?? (entry.prompt != nil ? semantic?.space.dimension ?? 0 : 0)
        return entry.response.count + (entry.prompt?.utf8.count ?? 0) + dimension * MemoryLayout<Float>.size
    }

    // MARK: Remembered paraphrases

    /// Remembers that the entry in `alias` answered the request with exact key `key` as a semantic hit.
    func rememberAlias(_ key: CacheKey, _ alias: ParaphraseAlias) {
        aliases.remember(key, alias)
    }

    /// The alias of `key` when it was accepted by `rule` and still holds: `key` has no entry of
    /// its own, and the alias's entry is in the exact index unchanged. One that no longer holds is
    /// forgotten.
    func alias(for key: CacheKey, rule: HitRule) -> ParaphraseAlias? {
        guard let alias = aliases.lookup(key), alias.rule == rule else { return nil }
        guard exact.lookup(key) == nil, exact.lookup(alias.entryKey) == alias.entry else {
            aliases.forget(key)
            return nil
        }
        return alias
    }

    /// The alias's entry when it is hot (under its id).
    func hotAnswer(for alias: ParaphraseAlias) -> NewEntry? {
        guard let (id, entry) = hot.lookup(alias.entryKey), id == alias.entry.id else { return nil }
        return entry
    }

    /// Stops answering the request with exact key `key` from the entry a semantic hit gave it
    /// (for instance when that answer was found wrong for it); its next request searches again.
    func forgetAlias(key: CacheKey) {
        aliases.forget(key)
    }

    /// Paraphrases remembered.
    var aliasCount: Int { aliases.count }

    // MARK: Indexing

    private func index(_ key: CacheKey, id: Int64, entry: NewEntry, context: CacheKey?) {
        let indexed = IndexedEntry(id: id, createdAt: entry.createdAt, expiresAt: entry.expiresAt)
        index(key, indexed, EntryLedger.Item(key: key, bytes: budgetBytes(of: entry), recency: entry.createdAt))
        if let vector = entry.embedding, let context { semantic?.insert(id: id, vector: vector, context: context) }
    }

    /// Puts `key` → `indexed` in the exact index and the ledger, and drops what that makes stale:
    /// the hot answer and the aliases of an entry replaced under the key, the key of another entry
    /// that had this id, and an alias of the key itself (it now has an entry of its own).
    private func index(_ key: CacheKey, _ indexed: IndexedEntry, _ item: EntryLedger.Item) {
        if let replaced = exact.insert(key, indexed), replaced != indexed {
            hot.remove([(key, replaced.id)])
            aliases.forget(entryIDs: [replaced.id])
        }
        if let previous = ledger.record(id: indexed.id, item), let previousKey = previous.key, previousKey != key {
            exact.remove([(previousKey, indexed.id)])
        }
        aliases.forget(key)
    }
}
