import Foundation
import Logging
import Store
import Upstream

/// The request flow of the sidecar: decide whether a request is cacheable, answer it from the
/// store when possible, otherwise forward it upstream, stream the answer back as it arrives and
/// store it once it completed normally.
///
/// Fails open: when the store cannot be opened, read or written, requests go upstream and the
/// error is logged and counted.
public final class CachePipeline: Sendable {
    public let configuration: SidecarConfiguration
    public let counters = SidecarCounters()
    /// Why the store is unavailable, when it is (the sidecar then only forwards).
    public let storeFailure: String?
    let upstream: UpstreamClient
    let store: CacheStore?
    let exactIndex = ExactIndex()
    let pending = PendingEntries()
    let inFlight = InFlightRequests()
    let logger: Logger

    private init(configuration: SidecarConfiguration, upstream: UpstreamClient, store: CacheStore?, storeFailure: String?, logger: Logger) {
        self.configuration = configuration
        self.upstream = upstream
        self.store = store
        self.storeFailure = storeFailure
        self.logger = logger
    }

    /// Opens the store (failing open when it cannot), loads its index and starts the upstream client.
    public static func start(configuration: SidecarConfiguration, logger: Logger) async throws -> CachePipeline {
        let upstream = try UpstreamClient()
        var store: CacheStore?
        var failure: String?
        do {
            store = try await CacheStore.open(path: configuration.databasePath)
        } catch {
            failure = error.description
            logger.error("cache store unavailable, forwarding every request", metadata: ["cause": "\(error)"])
        }
        let pipeline = CachePipeline(configuration: configuration, upstream: upstream, store: store, storeFailure: failure, logger: logger)
        if failure != nil { pipeline.counters.update { $0.storeErrors += 1 } }
        await pipeline.loadIndex()
        return pipeline
    }

    /// Number of entries the exact index holds.
    public var indexedEntries: Int { exactIndex.count }

    /// Waits for requests in flight (and the store writes they end with) to finish, at most
    /// `deadline`, then stops the upstream client. Returns the number of requests cut short.
    @discardableResult
    public func shutdown(deadline: Duration = .seconds(10)) async -> Int {
        let drained = await withTaskGroup(of: Bool.self) { group in
            group.addTask { [inFlight] in
                await inFlight.drained()
                return true
            }
            group.addTask {
                try? await Task.sleep(for: deadline)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        let cut = drained ? 0 : inFlight.count
        if cut > 0 { logger.warning("shutting down with requests still in flight", metadata: ["requests": "\(cut)"]) }
        upstream.shutdown()
        return cut
    }

    private func loadIndex() async {
        guard let store else { return }
        do {
            for row in try await store.loadIndex() {
                guard let key = CacheKey(bytes: row.key) else { continue }
                exactIndex.insert(key, IndexedEntry(id: row.id, createdAt: row.createdAt, expiresAt: row.expiresAt))
            }
        } catch {
            storeError(error, while: "loading the index")
        }
    }

    /// Answers one request on `writer`.
    public func handle(_ request: IncomingRequest, writer: some ResponseWriter) async {
        inFlight.enter()
        defer { inFlight.leave() }
        counters.update { $0.requests += 1 }
        guard let endpoint = CacheEndpoint(method: request.method, path: String(request.path)) else {
            counters.update { $0.passThrough += 1 }
            _ = await forward(request, to: writer, extraHeaders: [], cacheable: false)
            return
        }
        let directives: RequestDirectives
        do {
            directives = try RequestDirectives(headers: request.headers.map { ($0.name, $0.value) })
        } catch {
            try? await CompleteResponse.error(status: 400, type: "invalid_semcache_header", message: "\(error)").write(to: writer)
            return
        }
        let partition = CachePartition(
            namespace: directives.namespace ?? "",
            credential: Forwarding.credential(in: request.headers),
            shared: configuration.sharedCache)
        let analysed: CacheRequest
        do {
            analysed = try CacheRequest.analyse(endpoint: endpoint, body: request.body, partition: partition)
        } catch {
            await bypass(request, to: writer, reason: .unparseable)
            return
        }
        if let reason = bypassReason(analysed, directives) {
            await bypass(request, to: writer, reason: reason)
            return
        }
        let now = Date().timeIntervalSince1970
        var forwardReason = CacheStatusHeader.ForwardReason.request
        if !directives.noCache {
            switch await exactLookup(analysed, directives: directives, now: now) {
            case .hit(let hit):
                counters.update { $0.exactHits += 1 }
                await writeHit(hit, key: analysed.exactKey, now: now, to: writer)
                return
            case .stale: forwardReason = .stale
            case .miss: forwardReason = .uriMiss
            }
        }
        counters.update { $0.misses += 1 }
        await forwardMiss(request, analysed: analysed, directives: directives, partition: partition, reason: forwardReason, to: writer)
    }

    private func bypassReason(_ request: CacheRequest, _ directives: RequestDirectives) -> BypassReason? {
        if directives.mode == .off { return .modeOff }
        if directives.noCache && directives.noStore { return .noCacheNoStore }
        if !request.isDeterministic && !configuration.cacheNondeterministic { return .nondeterministic }
        if store == nil { return .storeUnavailable }
        return nil
    }

    private func bypass(_ request: IncomingRequest, to writer: some ResponseWriter, reason: BypassReason) async {
        counters.bypass(reason)
        let headers: HeaderList = [
            (name: "cache-status", value: CacheStatusHeader(outcome: .forwarded(.bypass), detail: reason.rawValue).value),
            (name: "x-semcache", value: "bypass"),
        ]
        _ = await forward(request, to: writer, extraHeaders: headers, cacheable: true)
    }

    // MARK: Hits

    private struct Hit {
        var id: Int64?
        var entry: NewEntry
        var rendered: HitRenderer.Rendered
    }

    private enum Lookup {
        case hit(Hit)
        /// An entry exists but is older than the request's `max-age`.
        case stale
        case miss
    }

    private func exactLookup(_ request: CacheRequest, directives: RequestDirectives, now: Double) async -> Lookup {
        func freshness(_ createdAt: Double, _ expiresAt: Double) -> Lookup? {
            guard expiresAt > now else { return .miss }
            if let maxAge = directives.maxAge, now - createdAt > Double(maxAge) { return .stale }
            return nil
        }
        if let entry = pending.lookup(request.exactKey) {
            if let unusable = freshness(entry.createdAt, entry.expiresAt) { return unusable }
            guard let rendered = HitRenderer.render(entry, for: request) else { return .miss }
            return .hit(Hit(id: nil, entry: entry, rendered: rendered))
        }
        guard let store, let indexed = exactIndex.lookup(request.exactKey) else { return .miss }
        if let unusable = freshness(indexed.createdAt, indexed.expiresAt) { return unusable }
        do {
            guard let stored = try await store.entry(id: indexed.id), stored.entry.key == request.exactKey.bytes else {
                exactIndex.remove(request.exactKey, ifID: indexed.id)
                return .miss
            }
            guard let rendered = HitRenderer.render(stored.entry, for: request) else { return .miss }
            return .hit(Hit(id: stored.id, entry: stored.entry, rendered: rendered))
        } catch {
            storeError(error, while: "reading an entry")
            return .miss
        }
    }

    private func writeHit(_ hit: Hit, key: CacheKey, now: Double, to writer: some ResponseWriter) async {
        let age = max(0, Int(now - hit.entry.createdAt))
        var headers: HeaderList = [
            (name: "content-type", value: hit.rendered.contentType),
            (name: "cache-status", value: CacheStatusHeader(outcome: .hit, ttl: Int(hit.entry.expiresAt - now), detail: "exact").value),
            (name: "x-semcache", value: "hit-exact"),
            (name: "x-semcache-key", value: key.prefix(16)),
            (name: "age", value: String(age)),
        ]
        if let id = hit.id { headers.append((name: "x-semcache-entry", value: String(id))) }
        try? await CompleteResponse(status: hit.entry.status, headers: headers, body: hit.rendered.body).write(to: writer)
        if let id = hit.id, let store {
            do { try await store.recordHits([id], at: now) } catch { storeError(error, while: "recording a hit") }
        }
    }

    // MARK: Misses

    private func forwardMiss(
        _ request: IncomingRequest, analysed: CacheRequest, directives: RequestDirectives,
        partition: CachePartition, reason: CacheStatusHeader.ForwardReason, to writer: some ResponseWriter
    ) async {
        let status = CacheStatusHeader(outcome: .forwarded(reason), detail: directives.noStore ? "no-store" : nil)
        let headers: HeaderList = [
            (name: "cache-status", value: status.value),
            (name: "x-semcache", value: "miss"),
            (name: "x-semcache-key", value: analysed.exactKey.prefix(16)),
        ]
        let started = ContinuousClock.now
        var recorder = ResponseRecorder(limit: configuration.maxStoredResponseBytes)
        let completed = await forward(request, to: writer, extraHeaders: headers, cacheable: true, recorder: &recorder) { recorder in
            // Runs after the upstream finished and before the client sees the end of the response.
            guard !directives.noStore else { return }
            switch recorder.storable(for: analysed.endpoint) {
            case .success(let recorded):
                let elapsed = ContinuousClock.now - started
                self.stage(recorded, for: analysed, directives: directives, namespace: partition.namespace, upstreamMilliseconds: elapsed.milliseconds)
            case .failure(let reason):
                self.logger.debug("response not stored", metadata: ["reason": "\(reason)", "key": "\(analysed.exactKey.prefix(16))"])
            }
        }
        if completed, !directives.noStore { await persist(analysed.exactKey) }
    }

    /// Makes a recorded response answer lookups from memory at once.
    private func stage(_ recorded: RecordedResponse, for request: CacheRequest, directives: RequestDirectives, namespace: String, upstreamMilliseconds: Double) {
        let now = Date().timeIntervalSince1970
        let ttl = directives.ttl.map(Double.init) ?? Double(configuration.defaultTTL.components.seconds)
        let entry = NewEntry(
            key: request.exactKey.bytes, contextKey: request.contextKey?.bytes, endpoint: request.endpoint.path,
            model: request.model, namespace: namespace, prompt: request.semanticText,
            response: recorded.body, responseKind: recorded.kind, status: recorded.status, contentType: recorded.contentType,
            promptTokens: recorded.usage.prompt, completionTokens: recorded.usage.completion,
            upstreamMilliseconds: upstreamMilliseconds, createdAt: now, expiresAt: now + ttl)
        pending.insert(request.exactKey, entry)
    }

    /// Writes a staged entry to the store and moves it into the exact index.
    private func persist(_ key: CacheKey) async {
        guard let entry = pending.lookup(key) else { return }
        defer { pending.remove(key) }
        guard let store else { return }
        do {
            let id = try await store.insert(entry)
            exactIndex.insert(key, IndexedEntry(id: id, createdAt: entry.createdAt, expiresAt: entry.expiresAt))
            counters.update { $0.stored += 1 }
        } catch {
            storeError(error, while: "storing an entry")
        }
    }

    // MARK: Forwarding

    /// Forwards `request` upstream and streams the answer to `writer`. Returns true when the
    /// response completed normally. `beforeEnd` runs once the upstream finished, before the end of
    /// the response is written.
    private func forward(
        _ request: IncomingRequest, to writer: some ResponseWriter, extraHeaders: HeaderList, cacheable: Bool,
        recorder: inout ResponseRecorder, beforeEnd: (ResponseRecorder) -> Void = { _ in }
    ) async -> Bool {
        let upstreamRequest = UpstreamRequest(
            method: request.method,
            url: Forwarding.upstreamURL(base: configuration.upstreamURL, uri: request.uri),
            headers: Forwarding.upstreamRequestHeaders(request.headers, cacheable: cacheable),
            body: request.body)
        var headWritten = false
        do {
            for try await event in upstream.send(upstreamRequest) {
                switch event {
                case .head(let status, let headers):
                    recorder.recordHead(status: status, headers: headers)
                    try await writer.writeHead(status: status, headers: Forwarding.clientResponseHeaders(headers, keepLength: true) + extraHeaders)
                    headWritten = true
                case .body(let bytes):
                    recorder.recordBody(bytes)
                    try await writer.writeBody(bytes)
                }
            }
            beforeEnd(recorder)
            try await writer.end()
            return true
        } catch let error as UpstreamError {
            counters.update { $0.upstreamErrors += 1 }
            logger.warning("upstream request failed", metadata: ["upstream": "\(Forwarding.origin(of: configuration.upstreamURL))", "cause": "\(error)"])
            if headWritten {
                await writer.abort()
            } else {
                let status = error.isTimeout ? 504 : 502
                try? await CompleteResponse.error(
                    status: status, type: error.isTimeout ? "upstream_timeout" : "upstream_unreachable",
                    message: "semcache could not get an answer from the upstream \(Forwarding.origin(of: configuration.upstreamURL)): \(error)",
                    extraHeaders: extraHeaders
                ).write(to: writer)
            }
            return false
        } catch {
            // The client went away; leaving the loop cancels the upstream transfer.
            await writer.abort()
            return false
        }
    }

    private func forward(_ request: IncomingRequest, to writer: some ResponseWriter, extraHeaders: HeaderList, cacheable: Bool) async -> Bool {
        var recorder = ResponseRecorder(limit: 0)
        return await forward(request, to: writer, extraHeaders: extraHeaders, cacheable: cacheable, recorder: &recorder)
    }

    private func storeError(_ error: any Error, while action: String) {
        counters.update { $0.storeErrors += 1 }
        logger.error("cache store error while \(action); the request goes upstream", metadata: ["cause": "\(error)"])
    }
}

extension Duration {
    var milliseconds: Double {
        let parts = components
        return Double(parts.seconds) * 1000 + Double(parts.attoseconds) / 1e15
    }
}
