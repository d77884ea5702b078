import Foundation
import SemanticCache
import Store

/// The sidecar's own endpoints under `/_semcache/`, and `/metrics`.
struct AdminAPI: Sendable {
    static let prefix = "/_semcache/"
    static let metricsPath = "/metrics"
    let pipeline: CachePipeline

    /// Whether `request` is for the admin API rather than the upstream.
    static func handles(_ request: IncomingRequest) -> Bool {
        let path = request.path.utf8  // byte comparisons: cheap on every request
        return path.starts(with: prefix.utf8) || path.elementsEqual(metricsPath.utf8)
    }

    /// Whether `request` asks for the dashboard page, which holds no data and needs no token.
    static func isDashboardPage(_ request: IncomingRequest) -> Bool {
        request.method == "GET" && request.path == prefix
    }

    func handle(_ request: IncomingRequest, writer: some ResponseWriter) async {
        if request.method == "GET", request.path == "/_semcache/export" {
            await export(to: writer)
        } else {
            try? await respond(to: request).write(to: writer)
        }
    }

    func respond(to request: IncomingRequest) async -> CompleteResponse {
        let query = QueryString(uri: request.uri)
        switch (request.method, String(request.path)) {
        case ("GET", Self.prefix):
            return CompleteResponse(status: 200, headers: [(name: "content-type", value: "text/html; charset=utf-8"), (name: "cache-control", value: "no-store")],
                                    body: Array(DashboardPage.html.utf8))
        case ("GET", Self.metricsPath):
            return await metrics()
        case ("GET", "/_semcache/health"):
            return await health(probe: ["1", "true"].contains(query["probe"] ?? ""))
        case ("GET", "/_semcache/stats"):
            return await stats(query)
        case ("GET", "/_semcache/search"):
            return await search(query)
        case ("GET", "/_semcache/entries"):
            return await entries(query)
        case ("POST", "/_semcache/purge"):
            return await purge(body: request.body)
        case ("POST", PrewarmEndpoint.path):
            return await PrewarmEndpoint(pipeline: pipeline).respond(to: request)
        case ("DELETE", let path) where path.hasPrefix("/_semcache/entries/"):
            return await purge(idText: String(path.dropFirst("/_semcache/entries/".count)))
        default:
            return .error(status: 404, type: "not_found", message: "no semcache endpoint \(request.method) \(request.path)")
        }
    }

    // MARK: Health

    /// `{"status": "ok"|"loading"|"degraded", "store": {"status", "error"}, "upstream": {"status",
    /// "origin", "source", "checked_at", "detail"}, "index": "loaded"|"loading"}`; `probe=1` probes
    /// the upstream even when a recent observation exists.
    private func health(probe: Bool) async -> CompleteResponse {
        let upstream = await pipeline.checkUpstream(force: probe)
        let store = pipeline.storeHealth()
        let loading = pipeline.isLoadingIndex
        let status = store.status != "ok" || !upstream.reachable ? "degraded" : loading ? "loading" : "ok"
        return json(.object([
            (key: "status", value: .string(status)),
            (key: "store", value: .object([
                (key: "status", value: .string(store.status)),
                (key: "error", value: store.error.map(JSONValue.string) ?? .null),
            ])),
            (key: "upstream", value: .object([
                (key: "status", value: .string(upstream.reachable ? "reachable" : "unreachable")),
                (key: "origin", value: .string(pipeline.upstreamOrigin)),
                (key: "source", value: .string(upstream.source.rawValue)),
                (key: "checked_at", value: .number(JSONNumber(Int(upstream.at)))),
                (key: "detail", value: .string(upstream.detail)),
            ])),
            (key: "index", value: .string(loading ? "loading" : "loaded")),
        ]))
    }

    // MARK: Statistics

    private func metrics() async -> CompleteResponse {
        let size = try? await pipeline.storeSize()
        let text = MetricsExposition.render(
            pipeline.stats.sinceStart, store: size, startedAt: pipeline.stats.startedAt, thresholds: pipeline.stats.learntThresholds)
        return CompleteResponse(status: 200, headers: [(name: "content-type", value: MetricsExposition.contentType)], body: Array(text.utf8))
    }

    /// `?since=24h|7d|all` (default 24h), `&series=auto|SECONDS` for a time series.
    private func stats(_ query: QueryString) async -> CompleteResponse {
        let now = Int64(Date().timeIntervalSince1970)
        let label = query["since"] ?? "24h"
        let since: Int64
        if label == "all" {
            since = 0
        } else if let seconds = DurationText.seconds(label) {
            since = now - Int64(seconds)
        } else {
            return .error(status: 400, type: "invalid_request", message: "since must be a duration such as 30m, 24h, 7d, or all; got \(label)")
        }
        var report = StatsReport(since: since, label: label)
        if let series = query["series"] {
            guard let step = series == "auto" ? StatsReport.automaticStep(since: max(since, now - 86400 * 30), now: now) : Int64(series), step > 0 else {
                return .error(status: 400, type: "invalid_request", message: "series must be auto or a number of seconds, got \(series)")
            }
            report.seriesStep = step
        }
        do {
            return json(try await pipeline.statsReport(report))
        } catch {
            return .error(status: 503, type: "store_error", message: "statistics unavailable: \(error)")
        }
    }

    // MARK: Entries

    /// `?model=&namespace=&older_than=7d&order=newest|hits&limit=50`
    private func entries(_ query: QueryString) async -> CompleteResponse {
        let filter: EntryFilter
        do { filter = try EntryFilterQuery.filter(query) } catch { return error.response }
        let order = query["order"].flatMap(EntryOrder.init(rawValue:)) ?? .newest
        let limit = query["limit"].flatMap(Int.init).map { min(max($0, 1), 10_000) } ?? 50
        do {
            let now = Date().timeIntervalSince1970
            let rows = try await pipeline.entrySummaries(filter, order: order, limit: limit)
            return json(.object([(key: "entries", value: .array(rows.map { StatsReport.entry($0, prices: pipeline.stats.prices, now: now) }))]))
        } catch {
            return .error(status: 503, type: "store_error", message: "cannot list entries: \(error)")
        }
    }

    /// Body `{"ids": [..], "model": "..", "namespace": "..", "older_than": "7d", "all": true}`.
    private func purge(body: [UInt8]) async -> CompleteResponse {
        let filter: EntryFilter
        do { filter = try EntryFilterQuery.purgeFilter(body) } catch { return error.response }
        do {
            let ids = try await pipeline.purge(matching: filter)
            return json(.object([
                (key: "deleted", value: .number(JSONNumber(ids.count))),
                (key: "ids", value: .array(ids.map { .number(JSONNumber(Int($0))) })),
            ]))
        } catch {
            return .error(status: 503, type: "store_error", message: "purge failed: \(error)")
        }
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

    /// Streams every entry as JSON lines (``EntryExport``), a page at a time.
    private func export(to writer: some ResponseWriter) async {
        let partitioning = Partitioning(sharedCache: pipeline.configuration.sharedCache)
        var lastID: Int64 = 0
        var page: [StoredEntry]
        do {
            page = try await pipeline.entries(afterID: lastID, limit: EntryExport.pageSize)
        } catch {
            try? await CompleteResponse.error(status: 503, type: "store_error", message: "export failed: \(error)").write(to: writer)
            return
        }
        do {
            try await writer.writeHead(status: 200, headers: [(name: "content-type", value: "application/x-ndjson")])
            while !page.isEmpty {
                try await writer.writeBody(page.flatMap { EntryExport.line($0, partitioning: partitioning) })
                lastID = page[page.count - 1].id
                page = try await pipeline.entries(afterID: lastID, limit: EntryExport.pageSize)
            }
            try await writer.end()
        } catch {
            await writer.abort()
        }
    }

    // MARK: Search

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

    private func json(_ value: JSONValue) -> CompleteResponse {
        CompleteResponse(status: 200, headers: [(name: "content-type", value: "application/json")], body: value.compactBytes)
    }
}
