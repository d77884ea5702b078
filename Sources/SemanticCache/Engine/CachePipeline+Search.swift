import Foundation

/// One stored prompt near a search text.
public struct SearchResult: Sendable {
    public var id: Int64
    public var prompt: String
    public var model: String?
    public var endpoint: String
    public var similarity: Float
    /// Whether the hit rule accepts the stored prompt as the same question (a hit additionally
    /// needs the same context: model, system prompt, parameters and earlier turns).
    public var accepted: Bool
    public var reason: String
    public var hits: Int
    public var ageSeconds: Int
}

extension CachePipeline {
    /// The stored prompts nearest to `text` across every context (optionally of one model), with
    /// the hit rule's verdict on each. For operators; cache hits never cross contexts.
    /// It scans every stored vector, so it runs on the cooperative pool, never on an event loop.
    public func search(_ text: String, model: String? = nil, limit: Int = 5, threshold: Double? = nil) async throws -> [SearchResult] {
        try await withTaskExecutorPreference(globalConcurrentExecutor) {
            try await nearestPrompts(text, model: model, limit: limit, threshold: threshold)
        }
    }

    private func nearestPrompts(_ text: String, model: String?, limit: Int, threshold: Double?) async throws -> [SearchResult] {
        guard let semantic, let store else { return [] }
        let vector = try await semantic.embed(text)
        let rule = HitRule(threshold: threshold ?? configuration.semanticThreshold ?? HitRule.standard.threshold)
        let now = Date().timeIntervalSince1970
        // With a model filter, look further so `limit` results of that model remain.
        let width = model == nil ? limit : limit * 20
        var results: [SearchResult] = []
        for match in memory.nearestInAnyContext(vector, k: width) {
            guard results.count < limit, let stored = try await store.entry(id: match.id), let prompt = stored.entry.prompt else { continue }
            if let model, stored.entry.model != model { continue }
            let decision = rule.evaluate(query: text, candidate: prompt, cosine: match.similarity)
            results.append(SearchResult(
                id: stored.id, prompt: prompt, model: stored.entry.model, endpoint: stored.entry.endpoint,
                similarity: match.similarity, accepted: decision.accepted, reason: decision.reason,
                hits: stored.hits, ageSeconds: max(0, Int(now - stored.entry.createdAt))))
        }
        return results
    }
}
