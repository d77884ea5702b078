import Foundation
import Store

extension CachePipeline {
    /// A stored answer that can serve a request.
    struct Hit: Sendable {
        enum Kind: Sendable { case exact, semantic(similarity: Float) }
        var kind: Kind
        /// Nil while the entry is still being written (``PendingEntries``).
        var id: Int64?
        var entry: NewEntry
        var rendered: HitRenderer.Rendered
        /// The hit rule's score of a semantic hit.
        var score: Double = 0

        var isExact: Bool {
            if case .exact = kind { return true }
            return false
        }
    }

    enum Lookup: Sendable {
        case hit(Hit)
        /// An entry exists but is older than the request's `max-age`.
        case stale
        case miss
    }

    /// Exact lookup, then (when it applies) a remembered paraphrase, then semantic lookup, whose
    /// hit is remembered. Embeds the query on the way, keeping the vector in `request` so a miss
    /// stores it without embedding twice.
    ///
    /// The semantic part runs on the cooperative pool (one thread per core), never on the
    /// connection's event loop: the vector search (milliseconds for 100k vectors), the hit rule and
    /// the rendering would otherwise hold up every other connection of that loop.
    func lookup(_ request: inout CacheableRequest) async -> Lookup {
        let now = Date().timeIntervalSince1970
        let exact = await exactLookup(request, now: now)
        if case .hit = exact { return exact }
        guard usesSemanticLookup(request), request.analysed.semanticText != nil, request.analysed.contextKey != nil else { return exact }
        if let remembered = await rememberedParaphrase(request, now: now) { return .hit(remembered) }
        let searched = await withTaskExecutorPreference(globalConcurrentExecutor) {
            await semanticLookup(&request, now: now)
        }
        if case .hit(let hit)? = searched { rememberParaphrase(hit, for: request) }
        return searched ?? exact
    }

    /// Embeds the query (keeping the vector in `request`) and looks for a semantic hit.
    private func semanticLookup(_ request: inout CacheableRequest, now: Double) async -> Lookup? {
        guard let semantic, let text = request.analysed.semanticText, let context = request.analysed.contextKey else { return nil }
        do {
            request.queryVector = try await semantic.embed(text)
        } catch {
            stats.recordError(.embedder)
            logger.error("embedder failed; semantic lookup skipped", metadata: ["embedder": "\(semantic.space.embedderID)", "cause": "\(error)"])
            return nil
        }
        guard let vector = request.queryVector else { return nil }
        return await semanticHit(text: text, vector: vector, context: context, request: &request, now: now).map(Lookup.hit)
    }

    /// Nil when an entry with these times may answer under `directives`; otherwise why not.
    func freshness(createdAt: Double, expiresAt: Double, _ directives: RequestDirectives, now: Double) -> Lookup? {
        guard expiresAt > now else { return .miss }
        if let maxAge = directives.maxAge, now - createdAt > Double(maxAge) { return .stale }
        return nil
    }

    /// Exact lookup among entries held in memory (pending writes and hot entries): no waiting.
    func memoryLookup(_ request: CacheableRequest, now: Double) -> Lookup {
        guard let found = memory.answerInMemory(for: request.analysed.exactKey) else { return .miss }
        if let unusable = freshness(createdAt: found.entry.createdAt, expiresAt: found.entry.expiresAt, request.directives, now: now) {
            return unusable
        }
        guard let rendered = HitRenderer.render(found.entry, for: request.analysed) else { return .miss }
        return .hit(Hit(kind: .exact, id: found.id, entry: found.entry, rendered: rendered))
    }

    func exactLookup(_ request: CacheableRequest, now: Double) async -> Lookup {
        let key = request.analysed.exactKey
        let inMemory = memoryLookup(request, now: now)
        if case .miss = inMemory {} else { return inMemory }
        guard let store, let indexed = memory.indexedEntry(for: key) else { return .miss }
        if let unusable = freshness(createdAt: indexed.createdAt, expiresAt: indexed.expiresAt, request.directives, now: now) { return unusable }
        do {
            guard let stored = try await store.entry(id: indexed.id), stored.entry.key == key.bytes else {
                memory.forgetIndexed(key, ifID: indexed.id)
                return .miss
            }
            memory.keepHot(key, id: stored.id, entry: stored.entry)
            guard let rendered = HitRenderer.render(stored.entry, for: request.analysed) else { return .miss }
            return .hit(Hit(kind: .exact, id: stored.id, entry: stored.entry, rendered: rendered))
        } catch {
            storeError(error, while: "reading an entry")
            return .miss
        }
    }

    /// The best of the nearest stored prompts in the same context that is fresh, can answer this
    /// request's stream mode, and is accepted by the hit rule and by verification (the first one
    /// verification keeps back is remembered in `request` as its near miss).
    private func semanticHit(text: String, vector: [Float], context: CacheKey, request: inout CacheableRequest, now: Double) async -> Hit? {
        guard let store else { return nil }
        let rule = hitRule(for: request)
        for match in memory.nearest(vector, context: context, k: configuration.semanticCandidates) {
            let stored: StoredEntry
            do {
                guard let found = try await store.entry(id: match.id) else { continue }
                stored = found
            } catch {
                storeError(error, while: "reading a semantic candidate")
                return nil
            }
            guard stored.entry.contextKey == context.bytes, let prompt = stored.entry.prompt,
                  freshness(createdAt: stored.entry.createdAt, expiresAt: stored.entry.expiresAt, request.directives, now: now) == nil
            else { continue }
            let decision = rule.evaluate(query: text, candidate: prompt, cosine: match.similarity)
            guard decision.accepted, let rendered = HitRenderer.render(stored.entry, for: request.analysed) else { continue }
            guard verificationServes(score: decision.score, entry: stored.id, request: request, context: context) else {
                if request.nearMiss == nil { request.nearMiss = NearMiss(entryID: stored.id, entry: stored.entry, score: decision.score) }
                continue
            }
            return Hit(kind: .semantic(similarity: match.similarity), id: stored.id, entry: stored.entry, rendered: rendered, score: decision.score)
        }
        return nil
    }

    /// The response for a hit, with the cache headers; counts the hit (the store learns of it
    /// within a second, from the ``HitLedger``). `collapsed`: the answer of an identical request
    /// this one waited for, counted as coalesced rather than as a hit.
    func hitResponse(_ hit: Hit, for request: CacheableRequest, collapsed: Bool = false) -> CompleteResponse {
        let now = Date().timeIntervalSince1970
        var headers: HeaderList = []
        headers.reserveCapacity(8)
        headers.append((name: "content-type", value: hit.rendered.contentType))
        let ttl = Int(hit.entry.expiresAt - now)
        switch hit.kind {
        case .exact where collapsed:
            headers += Self.coalescedHeaders
        case .exact:
            headers.append((name: "cache-status", value: CacheStatusHeader(outcome: .hit, ttl: ttl, detail: "exact").value))
            headers.append((name: "x-semcache", value: "hit-exact"))
        case .semantic(let similarity):
            headers += [
                (name: "cache-status", value: CacheStatusHeader(outcome: .hit, ttl: ttl, detail: "semantic").value),
                (name: "x-semcache", value: "hit-semantic"),
                (name: "x-semcache-similarity", value: String(format: "%.4f", similarity)),
            ]
        }
        headers.append((name: "x-semcache-key", value: CacheKey(bytes: hit.entry.key).map { $0.prefix(16) } ?? ""))
        headers.append((name: "age", value: String(max(0, Int(now - hit.entry.createdAt)))))
        if let id = hit.id {
            headers.append((name: "x-semcache-entry", value: String(id)))
            // A coalesced answer keeps the entry recent, but is not one of its hits (nor its savings).
            memory.recordHit(id: id, at: now, counted: !collapsed)
        }
        if collapsed {
            stats.recordCoalesced(endpoint: request.analysed.endpoint.path, model: request.analysed.model)
        } else {
            stats.recordHit(exact: hit.isExact, endpoint: request.analysed.endpoint.path, model: request.analysed.model,
                            entry: hit.entry, latency: .now - request.received)
        }
        logTraffic(hit: hit, for: request)
        if !collapsed { verifyInBackground(hit, for: request) }
        return CompleteResponse(status: hit.entry.status, headers: headers, body: hit.rendered.body)
    }
}
