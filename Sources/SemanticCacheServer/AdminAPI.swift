import SemanticCache

/// The sidecar's own endpoints under `/_semcache/`.
struct AdminAPI: Sendable {
    static let prefix = "/_semcache/"
    let pipeline: CachePipeline

    func respond(to request: IncomingRequest) async -> CompleteResponse {
        switch (request.method, String(request.path)) {
        case ("GET", "/_semcache/health"):
            return json(.object([
                (key: "status", value: .string(pipeline.storeFailure == nil ? "ok" : "degraded")),
                (key: "store", value: .string(pipeline.storeFailure ?? "ok")),
            ]))
        case ("GET", "/_semcache/stats"):
            return json(statsJSON())
        default:
            return .error(status: 404, type: "not_found", message: "no semcache endpoint \(request.method) \(request.path)")
        }
    }

    private func statsJSON() -> JSONValue {
        let counters = pipeline.counters.snapshot
        func number(_ value: Int) -> JSONValue { .number(JSONNumber(value)) }
        return .object([
            (key: "requests", value: number(counters.requests)),
            (key: "hits_exact", value: number(counters.exactHits)),
            (key: "hits_semantic", value: number(counters.semanticHits)),
            (key: "misses", value: number(counters.misses)),
            (key: "bypasses", value: .object(counters.bypasses.sorted { $0.key < $1.key }.map { (key: $0.key, value: number($0.value)) })),
            (key: "pass_through", value: number(counters.passThrough)),
            (key: "stored", value: number(counters.stored)),
            (key: "entries", value: number(pipeline.indexedEntries)),
            (key: "errors", value: .object([
                (key: "upstream", value: number(counters.upstreamErrors)),
                (key: "store", value: number(counters.storeErrors)),
                (key: "embedder", value: number(counters.embedderErrors)),
            ])),
        ])
    }

    private func json(_ value: JSONValue) -> CompleteResponse {
        CompleteResponse(status: 200, headers: [(name: "content-type", value: "application/json")], body: value.compactBytes)
    }
}
