import Foundation
import Store

/// Remembered paraphrases: after a semantic hit, the same request again (the same exact key) is
/// answered from the entry that served it, without embedding or searching, while nothing the hit
/// depended on changed — the entry (replaced, purged, evicted, expired, deleted by another
/// sidecar), the hit rule in force for the request (`X-Semcache-Threshold`, `--threshold`,
/// `X-Semcache-Mode`) — and the request's own `max-age` accepts the entry's age. The answer is
/// still a semantic hit, with the similarity it had, and counted as one.
extension CachePipeline {
    /// The hit rule that judges `request`'s semantic candidates: its `X-Semcache-Threshold`, else
    /// `--threshold`, else the default.
    func hitRule(for request: CacheableRequest) -> HitRule {
        HitRule(threshold: request.directives.threshold ?? configuration.semanticThreshold ?? HitRule.standard.threshold)
    }

    /// A hit answered from memory without waiting: an exact one on a pending or hot entry, or a
    /// remembered paraphrase whose entry is hot. Callable on an event loop.
    func memoryHit(_ request: CacheableRequest, now: Double) -> Hit? {
        if case .hit(let hit) = memoryLookup(request, now: now) { return hit }
        guard let alias = usableAlias(for: request, now: now), let entry = memory.hotAnswer(for: alias) else { return nil }
        return aliasHit(alias, entry: entry, for: request)
    }

    /// The remembered paraphrase of `request`, its entry read from the store when it is not hot.
    func rememberedParaphrase(_ request: CacheableRequest, now: Double) async -> Hit? {
        guard let alias = usableAlias(for: request, now: now) else { return nil }
        if let entry = memory.hotAnswer(for: alias) { return aliasHit(alias, entry: entry, for: request) }
        guard let store else { return nil }
        do {
            guard let stored = try await store.entry(id: alias.entry.id), stored.entry.key == alias.entryKey.bytes,
                stored.entry.createdAt == alias.entry.createdAt
            else {
                memory.forgetAlias(key: request.analysed.exactKey)
                return nil
            }
            memory.keepHot(alias.entryKey, id: stored.id, entry: stored.entry)
            return aliasHit(alias, entry: stored.entry, for: request)
        } catch {
            storeError(error, while: "reading a remembered paraphrase's entry")
            return nil
        }
    }

    /// Remembers that a semantic hit answered `request` (unless it is `no-store`: nothing of it
    /// is kept) and keeps its entry hot, so the same request again is answered on the event loop.
    func rememberParaphrase(_ hit: Hit, for request: CacheableRequest) {
        guard case .semantic(let similarity) = hit.kind, let id = hit.id, !request.directives.noStore,
            let entryKey = CacheKey(bytes: hit.entry.key)
        else { return }
        let indexed = IndexedEntry(id: id, createdAt: hit.entry.createdAt, expiresAt: hit.entry.expiresAt)
        memory.rememberAlias(
            request.analysed.exactKey,
            ParaphraseAlias(entryKey: entryKey, entry: indexed, similarity: similarity, score: hit.score, rule: hitRule(for: request)))
        memory.keepHot(entryKey, id: id, entry: hit.entry)
    }

    /// `request`'s alias when it may answer: semantic lookup applies, under the rule that accepted
    /// the hit, and the entry is unchanged and fresh for this request. An expired entry's alias is
    /// forgotten; one older than the request's `max-age` is kept for other requests, and this one
    /// goes through the full lookup (which may find a fresher entry).
    private func usableAlias(for request: CacheableRequest, now: Double) -> ParaphraseAlias? {
        let key = request.analysed.exactKey
        guard usesSemanticLookup(request), let alias = memory.alias(for: key, rule: hitRule(for: request)) else { return nil }
        switch freshness(createdAt: alias.entry.createdAt, expiresAt: alias.entry.expiresAt, request.directives, now: now) {
        case nil:
            return alias
        case .miss?:
            memory.forgetAlias(key: key)
            return nil
        default:
            return nil
        }
    }

    /// The alias's hit, unless verification no longer serves that entry to this request (a learnt
    /// threshold above its score, or a check that found it wrong).
    private func aliasHit(_ alias: ParaphraseAlias, entry: NewEntry, for request: CacheableRequest) -> Hit? {
        if let context = request.analysed.contextKey,
            !verificationServes(score: alias.score, entry: alias.entry.id, request: request, context: context)
        {
            return nil
        }
        guard let rendered = HitRenderer.render(entry, for: request.analysed) else { return nil }
        return Hit(kind: .semantic(similarity: alias.similarity), id: alias.entry.id, entry: entry, rendered: rendered, score: alias.score)
    }
}
