import Foundation
import Logging
import Store
import Upstream

/// The request flow of the sidecar: decide whether a request is cacheable, answer it from the
/// store when possible (exact key, then the nearest stored prompt in the same context that the
/// hit rule accepts), otherwise forward it upstream, stream the answer back as it arrives and
/// store it once it completed normally.
///
/// Fails open: when the store or the embedder fails, requests go upstream and the error is logged
/// and counted.
public final class CachePipeline: Sendable {
    public let configuration: SidecarConfiguration
    public let counters = SidecarCounters()
    /// Why the store is unavailable, when it is (the sidecar then only forwards).
    public let storeFailure: String?
    /// The semantic index, when an embedder is configured.
    public let semantic: SemanticIndex?
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
        self.semantic = configuration.embedder.map(SemanticIndex.init(embedder:))
        self.logger = logger
    }

    /// Opens the store (failing open when it cannot), loads its index and starts the upstream client.
    public static func start(configuration: SidecarConfiguration, logger: Logger, upstream: UpstreamClient? = nil) async throws -> CachePipeline {
        let upstream = try upstream ?? UpstreamClient()
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
        await configuration.trafficLog?.close()
        return cut
    }

    private func loadIndex() async {
        guard let store else { return }
        do {
            let rows = try await store.loadIndex()
            for row in rows {
                guard let key = CacheKey(bytes: row.key) else { continue }
                exactIndex.insert(key, IndexedEntry(id: row.id, createdAt: row.createdAt, expiresAt: row.expiresAt))
            }
            semantic?.load(rows)
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
        var cacheable = CacheableRequest(incoming: request, analysed: analysed, directives: directives, namespace: partition.namespace)
        var forwardReason = CacheStatusHeader.ForwardReason.request
        if !directives.noCache {
            switch await lookup(&cacheable) {
            case .hit(let hit):
                await writeHit(hit, for: cacheable, to: writer)
                return
            case .stale: forwardReason = .stale
            case .miss: forwardReason = .uriMiss
            }
        }
        counters.update { $0.misses += 1 }
        await forwardMiss(cacheable, reason: forwardReason, to: writer)
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

    /// Whether semantic lookup applies to this request: an embedder, a newest user text, and a mode that allows it.
    func usesSemanticLookup(_ request: CacheableRequest) -> Bool {
        semantic != nil && request.analysed.semanticText != nil && request.analysed.contextKey != nil
            && request.directives.mode != .exact
    }

    func storeError(_ error: any Error, while action: String) {
        counters.update { $0.storeErrors += 1 }
        logger.error("cache store error while \(action); the request goes upstream", metadata: ["cause": "\(error)"])
    }
}

/// A cacheable request on its way through the pipeline.
struct CacheableRequest: Sendable {
    let incoming: IncomingRequest
    let analysed: CacheRequest
    let directives: RequestDirectives
    let namespace: String
    /// The embedding of the newest user text, once computed.
    var queryVector: [Float]?
}
