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
        case ("GET", "/_semcache/search"):
            return await search(QueryString(uri: request.uri))
        case ("POST", PrewarmEndpoint.path):
            return await PrewarmEndpoint(pipeline: pipeline).respond(to: request)
        case ("DELETE", let path) where path.hasPrefix("/_semcache/entries/"):
            return await purge(idText: String(path.dropFirst("/_semcache/entries/".count)))
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

    private func search(_ query: QueryString) async -> CompleteResponse {
        guard let text = query["q"], !text.isEmpty else {
            return .error(status: 400, type: "invalid_request", message: "search needs ?q=TEXT (and optionally &model=M&limit=N)")
        }
        guard pipeline.semantic != nil else {
            return .error(status: 409, type: "semantic_disabled", message: "semantic search needs an embedder: start semcache serve with --embedder minilm (the default when the model files are present)")
        }
        let limit = query["limit"].flatMap(Int.init).map { min(max($0, 1), 100) } ?? 5
        let threshold = query["threshold"].flatMap(Double.init)
        do {
            let results = try await pipeline.search(text, model: query["model"], limit: limit, threshold: threshold)
            return json(.object([(key: "query", value: .string(text)), (key: "results", value: .array(results.map(Self.json)))]))
        } catch {
            return .error(status: 503, type: "search_failed", message: "search failed: \(error)")
        }
    }

    private static func json(_ result: SearchResult) -> JSONValue {
        .object([
            (key: "id", value: .number(JSONNumber(Int(result.id)))),
            (key: "similarity", value: .number(JSONNumber(Double((result.similarity * 10_000).rounded() / 10_000)) ?? JSONNumber(0))),
            (key: "accepted", value: .bool(result.accepted)),
            (key: "reason", value: .string(result.reason)),
            (key: "prompt", value: .string(result.prompt)),
            (key: "model", value: result.model.map(JSONValue.string) ?? .null),
            (key: "endpoint", value: .string(result.endpoint)),
            (key: "hits", value: .number(JSONNumber(result.hits))),
            (key: "age_seconds", value: .number(JSONNumber(result.ageSeconds))),
        ])
    }

    private func purge(idText: String) async -> CompleteResponse {
        guard let id = Int64(idText) else {
            return .error(status: 400, type: "invalid_request", message: "DELETE /_semcache/entries/ID needs a numeric entry id, got \(idText)")
        }
        do {
            let deleted = try await pipeline.purge(ids: [id])
            guard deleted > 0 else { return .error(status: 404, type: "not_found", message: "no entry \(id)") }
            return json(.object([(key: "deleted", value: .number(JSONNumber(deleted)))]))
        } catch {
            return .error(status: 503, type: "store_error", message: "purge failed: \(error)")
        }
    }

    private func json(_ value: JSONValue) -> CompleteResponse {
        CompleteResponse(status: 200, headers: [(name: "content-type", value: "application/json")], body: value.compactBytes)
    }
}
