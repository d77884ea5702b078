import Store

extension NewEntry {
    /// The entry a cacheable request and its storable answer make: the one construction shared by
    /// live misses and prewarmed records, so both store exactly the same thing.
    ///
    /// - Parameters:
    ///   - embedding: the vector of the request's semantic text, when already computed, made by `embedderID`.
    ///   - createdAt: Unix seconds; the entry expires `ttl` seconds later.
    init(
        request: CacheRequest, answer: RecordedResponse, embedding: [Float]?, embedderID: String?,
        upstreamMilliseconds: Double, createdAt: Double, ttl: Double
    ) {
        self.init(
            key: request.exactKey.bytes, contextKey: request.contextKey?.bytes, endpoint: request.endpoint.path,
            model: request.model, namespace: request.partition.namespace, prompt: request.semanticText,
            embedding: embedding, embedderID: embedding == nil ? nil : embedderID,
            response: answer.body, responseKind: answer.kind, status: answer.status, contentType: answer.contentType,
            promptTokens: answer.usage.prompt, completionTokens: answer.usage.completion,
            upstreamMilliseconds: upstreamMilliseconds, createdAt: createdAt, expiresAt: createdAt + ttl)
    }
}
