extension CachePipeline {
    /// Logs a forwarded miss with the answer as recorded (empty when it was too large to keep).
    func logTraffic(miss request: CacheableRequest, recorder: ResponseRecorder, upstreamMilliseconds: Double) {
        guard let log = configuration.trafficLog else { return }
        log.append(
            endpoint: request.analysed.endpoint, requestBody: request.incoming.body, status: recorder.status,
            responseBody: recorder.body, isStream: Self.isEventStream(recorder.contentType),
            promptTokens: nil, completionTokens: nil, upstreamMilliseconds: upstreamMilliseconds, cache: "miss")
    }

    /// Logs an answer served from the cache, as the client got it.
    func logTraffic(hit: Hit, for request: CacheableRequest) {
        guard let log = configuration.trafficLog else { return }
        let cache: String
        switch hit.kind {
        case .exact: cache = "hit-exact"
        case .semantic: cache = "hit-semantic"
        }
        log.append(
            endpoint: request.analysed.endpoint, requestBody: request.incoming.body, status: hit.entry.status,
            responseBody: hit.rendered.body, isStream: Self.isEventStream(hit.rendered.contentType),
            promptTokens: hit.entry.promptTokens, completionTokens: hit.entry.completionTokens,
            upstreamMilliseconds: nil, cache: cache)
    }

    private static func isEventStream(_ contentType: String?) -> Bool {
        contentType?.lowercased().hasPrefix("text/event-stream") == true
    }
}
