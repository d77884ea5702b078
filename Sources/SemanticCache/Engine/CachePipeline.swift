import Foundation
import Logging
import Synchronization
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
    /// Everything counted: requests, hits and what they saved, errors, latencies.
    public let stats: StatsRecorder
    /// Why the store is unavailable, when it is (the sidecar then only forwards).
    public var storeFailure: String? { storeSlot.withLock { $0.failure } }
    /// What is known about the upstream's reachability (`/_semcache/health`).
    public let upstreamHealth = UpstreamHealth()
    /// The last store error after the start, for `/_semcache/health`.
    let lastStoreError = Mutex<StoreFailure?>(nil)
    /// The semantic index, when an embedder is configured.
    public var semantic: SemanticIndex? { memory.semantic }
    let upstream: UpstreamClient
    /// The store once open, or why it is not (see `CachePipeline+StoreReconnect`).
    let storeSlot: Mutex<StoreSlot>
    /// The store, when it is open.
    var store: (any CacheStoring)? { storeSlot.withLock { $0.store } }
    /// Opens the store in the background when it was not available at the start.
    let storeReconnect = Mutex<Task<Void, Never>?>(nil)
    /// Everything cached in memory: exact index, pending and hot answers, ledgers, vectors,
    /// remembered paraphrases.
    let memory: CacheMemory
    /// Answers waiting for a store that failed: at most 10 000 of them, 64 MiB.
    let backlog = WriteBacklog(maxEntries: 10_000, maxBytes: 64 << 20)
    /// Retries ``backlog`` while it holds anything.
    let backlogRetry = Mutex<Task<Void, Never>?>(nil)
    /// Analyses of requests that hit or were stored, by their raw bytes.
    let analysisMemo = AnalysisMemo(maxEntries: 4096, maxBytes: 16 << 20)
    private let hitFlusher = Mutex<Task<Void, Never>?>(nil)
    /// Follows the change feed of a store shared by a fleet (see `CachePipeline+Replica`).
    let replicaFollower = Mutex<Task<Void, Never>?>(nil)
    /// The load of the index while it runs in the background.
    let indexLoad = Mutex<Task<Void, Never>?>(nil)
    let loadingIndex = Atomic<Bool>(false)
    let inFlight = InFlightRequests()
    let coalescer = RequestCoalescer()
    let janitor = CacheJanitor()
    /// Checks hits in the background and learns thresholds, when verification is on.
    let verifier: Verifier?
    /// Who this pipeline is when it claims a fleet's maintenance duty.
    let maintenanceHolder = UUID().uuidString
    let logger: Logger

    private init(configuration: SidecarConfiguration, upstream: UpstreamClient, store: (any CacheStoring)?, storeFailure: String?, logger: Logger) {
        self.configuration = configuration
        self.upstream = upstream
        self.storeSlot = Mutex(store.map(StoreSlot.open) ?? .unavailable(storeFailure ?? "not opened"))
        self.memory = CacheMemory(
            semantic: configuration.embedder.map(SemanticIndex.init(embedder:)), hotEntryBytes: configuration.hotEntryBytes,
            aliasCapacity: configuration.rememberedParaphrases)
        self.logger = logger
        self.stats = StatsRecorder(store: store, expectingStore: storeFailure != nil, prices: configuration.prices, logger: logger)
        self.verifier = configuration.verification.isEnabled
            ? Verifier(settings: configuration.verification, floor: configuration.semanticThreshold ?? HitRule.defaultThreshold)
            : nil
    }

    /// Opens the store, loads its index and starts the upstream client.
    /// With ``SidecarConfiguration/loadIndexInBackground`` it returns before the index is loaded;
    /// cacheable requests then go upstream uncached (bypass `loading`) until it is.
    ///
    /// - Throws: the `StoreError` saying why, when the store cannot be opened (unless
    ///   ``SidecarConfiguration/startWithoutStore``: the sidecar then forwards uncached and keeps
    ///   trying to open it, see ``storeRetryDelays``), and ``PartitioningMismatch`` when
    ///   ``SidecarConfiguration/sharedCache`` contradicts the store's entries; errors after the start fail open.
    public static func start(configuration requested: SidecarConfiguration, logger: Logger, upstream: UpstreamClient? = nil) async throws -> CachePipeline {
        var resolved = requested
        var store: (any CacheStoring)?
        var failure: String?
        do {
            let opened = try await requested.openStore()
            resolved.sharedCache = try await partitioning(of: opened, for: requested) == .shared
            store = opened
        } catch let mismatch as PartitioningMismatch {
            throw mismatch
        } catch {
            guard requested.startWithoutStore else { throw error }
            failure = "\(error)"
            logger.error("cache store unavailable, forwarding every request", metadata: ["cause": "\(error)"])
        }
        let configuration = resolved
        let upstream = try upstream ?? UpstreamClient(configuration: configuration.upstreamClientConfiguration)
        let pipeline = CachePipeline(configuration: configuration, upstream: upstream, store: store, storeFailure: failure, logger: logger)
        pipeline.stats.startFlushing()
        pipeline.startFlushingHits()
        if let store {
            if configuration.loadIndexInBackground {
                pipeline.loadIndexInBackground(from: store, before: configuration.beforeBackgroundIndexLoad)
            } else {
                await pipeline.loadIndex(from: store)
                pipeline.startMaintenance()
            }
        } else {
            pipeline.stats.recordError(.store)
            pipeline.keepOpeningStore()
        }
        return pipeline
    }

    /// Loads the index of `store` in the background, then starts maintenance; cacheable requests
    /// bypass the cache (`loading`) meanwhile. `publish` runs first, under the same lock as the
    /// task is recorded, so whoever sees its effect also sees the load to wait for (``indexLoaded()``).
    func loadIndexInBackground(from store: any CacheStoring, before: (@Sendable () async -> Void)? = nil, publish: () -> Void = {}) {
        loadingIndex.store(true, ordering: .releasing)
        indexLoad.withLock { load in
            publish()
            load = Task {
                await before?()
                await loadIndex(from: store)
                loadingIndex.store(false, ordering: .releasing)
                startMaintenance()
            }
        }
    }

    /// Whether the start-up load of the index is still running (requests then bypass the cache).
    public var isLoadingIndex: Bool { loadingIndex.load(ordering: .acquiring) }

    /// Waits until the start-up load of the index finished: what changes the store and the
    /// indexes together (purges, prewarming) waits for it, so a row the load has not reached yet
    /// cannot come back after it was deleted.
    func indexLoaded() async {
        await indexLoad.withLock { $0 }?.value
    }

    /// Writes counted hits to the store about once a second.
    private func startFlushingHits() {
        let task = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                await self?.flushHits()
            }
        }
        hitFlusher.withLock { $0 = task }
    }

    /// Writes the hits counted in memory to the store now.
    func flushHits() async {
        guard let store else { return }
        do { try await memory.flushHits(to: store) } catch { storeError(error, while: "recording hits") }
    }

    /// Number of entries the exact index holds.
    public var indexedEntries: Int { memory.entryCount }

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
        await stopOpeningStore()
        await indexLoaded()
        await janitor.stop()
        let cut = drained ? 0 : inFlight.count
        if cut > 0 { logger.warning("shutting down with requests still in flight", metadata: ["requests": "\(cut)"]) }
        hitFlusher.withLock { $0?.cancel() }
        replicaFollower.withLock { $0?.cancel() }
        backlogRetry.withLock { $0?.cancel() }
        verifier?.cancelAll()
        await flushHits()
        await stats.stop()
        upstream.shutdown()
        await configuration.trafficLog?.close()
        return cut
    }

    private func loadIndex(from store: any CacheStoring) async {
        do {
            let start = ContinuousClock.now
            // Read before the scan: changes committed meanwhile are applied again, harmlessly.
            let feed = store as? any CacheChangeFeed
            let cursor = try await feed?.changeHorizon()
            let counts = try await store.entryCountsByContext()
            var scan = try await store.scanIndex(into: StartupIndexScan(counts: counts, space: semantic?.space))
            scan.flush()
            let scanned = ContinuousClock.now
            memory.load(vectors: scan.vectors)  // meanwhile the tables take in their last chunks
            let vectorsLoaded = ContinuousClock.now
            let tables = await scan.tables.take()
            memory.load(exact: tables.exact, ledger: tables.ledger)
            if let feed, let cursor { startFollowingChanges(feed, from: cursor) }
            logger.info("loaded the index", metadata: [
                "entries": "\(memory.entryCount)", "scan": "\(scanned - start)",
                "vectors": "\(vectorsLoaded - scanned)", "tables": "\(ContinuousClock.now - vectorsLoaded)",
            ])
        } catch {
            storeError(error, while: "loading the index")
        }
    }

    /// Answers one request on `writer`: ``prepare(_:)``, then the async path when needed.
    public func handle(_ request: IncomingRequest, writer: some ResponseWriter) async {
        switch prepare(request) {
        case .respond(let response): try? await response.write(to: writer)
        case .process(let prepared): await handle(prepared, writer: writer)
        }
    }

    /// Decides what to do with a request without waiting: parses and validates it, and answers it
    /// at once when it is an exact hit on an entry held in memory (pending or hot), or a remembered
    /// paraphrase whose entry is hot. Callable on an event loop; everything else goes to
    /// ``handle(_:writer:)-(PreparedRequest,_)``.
    public func prepare(_ request: IncomingRequest) -> Preparation {
        let received = ContinuousClock.now
        // Other endpoints pass through untouched: no raw key or memo lookup over their bodies.
        guard let endpoint = CacheEndpoint(method: request.method, path: request.path) else {
            return .process(PreparedRequest(incoming: request, route: .passThrough))
        }
        // Too large to analyse or store (e.g. base64 images): the upstream still gets it, untouched.
        if request.body.count > configuration.maxRequestBodyBytes {
            return .process(PreparedRequest(incoming: request, route: .bypass(endpoint, model: nil, .tooLarge)))
        }
        let rawKey = RawRequestKey(request)
        let analysis: AnalysisMemo.Analysis
        let memoized = analysisMemo.lookup(rawKey)
        if let memoized {
            analysis = memoized
        } else {
            switch analyse(request, endpoint: endpoint) {
            case .analysed(let analysed): analysis = analysed
            case .decided(let preparation): return preparation
            }
        }
        let cacheable = CacheableRequest(
            incoming: request, analysed: analysis.analysed, directives: analysis.directives, namespace: analysis.namespace,
            rawKey: rawKey, received: received)
        if !analysis.directives.noCache, let hit = memoryHit(cacheable, now: Date().timeIntervalSince1970) {
            if memoized == nil { memoizeAnalysis(of: cacheable) }
            return .respond(hitResponse(hit, for: cacheable))
        }
        return .process(PreparedRequest(incoming: request, route: .cacheable(cacheable)))
    }

    private enum Analysed {
        case analysed(AnalysisMemo.Analysis)
        /// Not cacheable (or invalid): what to do instead.
        case decided(Preparation)
    }

    /// Endpoint, directives, partition and keys of a request (what ``AnalysisMemo`` keeps).
    private func analyse(_ request: IncomingRequest, endpoint: CacheEndpoint) -> Analysed {
        let directives: RequestDirectives
        do {
            directives = try RequestDirectives(headers: request.headers.map { ($0.name, $0.value) })
        } catch {
            stats.recordInvalid(endpoint: endpoint.path)
            return .decided(.respond(.error(
                status: 400, type: "invalid_semcache_header", message: "\(error)", shape: ErrorShape(path: endpoint.path))))
        }
        let partition = CachePartition(
            namespace: directives.namespace ?? "",
            credential: Forwarding.credential(in: request.headers),
            shared: configuration.sharedCache)
        let analysed: CacheRequest
        do {
            analysed = try CacheRequest.analyse(endpoint: endpoint, body: request.body, partition: partition)
        } catch {
            return .decided(.process(PreparedRequest(incoming: request, route: .bypass(endpoint, model: nil, .unparseable))))
        }
        if let reason = bypassReason(analysed, directives) {
            return .decided(.process(PreparedRequest(incoming: request, route: .bypass(endpoint, model: analysed.model, reason))))
        }
        return .analysed(AnalysisMemo.Analysis(endpoint: endpoint, directives: directives, namespace: partition.namespace, analysed: analysed))
    }

    /// Remembers the analysis of a request that was answered from the cache or whose answer is
    /// being stored: it is likely to come again.
    func memoizeAnalysis(of request: CacheableRequest) {
        analysisMemo.insert(request.rawKey, AnalysisMemo.Analysis(
            endpoint: request.analysed.endpoint, directives: request.directives, namespace: request.namespace, analysed: request.analysed))
    }

    /// The async part: store and semantic lookups, forwarding, storing.
    public func handle(_ prepared: PreparedRequest, writer: some ResponseWriter) async {
        inFlight.enter()
        defer { inFlight.leave() }
        switch prepared.route {
        case .passThrough:
            stats.recordPassThrough()
            _ = await forward(prepared.incoming, to: writer, extraHeaders: [], cacheable: false)
        case .bypass(let endpoint, let model, let reason):
            await bypass(prepared.incoming, endpoint: endpoint, model: model, to: writer, reason: reason)
        case .cacheable(var cacheable):
            var forwardReason = CacheStatusHeader.ForwardReason.request
            if !cacheable.directives.noCache {
                switch await lookup(&cacheable) {
                case .hit(let hit):
                    memoizeAnalysis(of: cacheable)
                    try? await hitResponse(hit, for: cacheable).write(to: writer)
                    return
                case .stale: forwardReason = .stale
                case .miss: forwardReason = .uriMiss
                }
            }
            await forwardMissCoalescing(cacheable, reason: forwardReason, to: writer)
        }
    }

    private func bypassReason(_ request: CacheRequest, _ directives: RequestDirectives) -> BypassReason? {
        if directives.mode == .off { return .modeOff }
        if directives.noCache && directives.noStore { return .noCacheNoStore }
        switch request.serverSideEffect {
        case .background: return .background
        case .conversation: return .conversation
        case nil: break
        }
        if !cachesSampling(request, directives) { return .nondeterministic }
        if store == nil { return .storeUnavailable }
        if isLoadingIndex { return .loading }
        return nil
    }

    /// The cacheability rule with its overrides: `X-Semcache-Nondeterministic` first, then
    /// `--cache-nondeterministic`, then ``SamplingPolicy``.
    func cachesSampling(_ request: CacheRequest, _ directives: RequestDirectives) -> Bool {
        switch directives.nondeterministic {
        case .cache: true
        case .bypass: false
        case nil: !request.asksForRandomness || configuration.cacheNondeterministic
        }
    }

    private func bypass(_ request: IncomingRequest, endpoint: CacheEndpoint, model: String?, to writer: some ResponseWriter, reason: BypassReason) async {
        stats.recordBypass(endpoint: endpoint.path, model: model, reason: reason)
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
        stats.recordError(.store)
        lastStoreError.withLock { $0 = StoreFailure(at: Date().timeIntervalSince1970, message: "\(action): \(error)") }
        logger.error("cache store error while \(action); the request goes upstream", metadata: ["cause": "\(error)"])
    }
}

/// What ``CachePipeline/prepare(_:)`` decided.
public enum Preparation: Sendable {
    /// Answered without waiting (a hit held in memory, or a rejected request).
    case respond(CompleteResponse)
    /// Needs the async path.
    case process(PreparedRequest)
}

/// A parsed request waiting for the async path.
public struct PreparedRequest: Sendable {
    enum Route: Sendable {
        case passThrough
        case bypass(CacheEndpoint, model: String?, BypassReason)
        case cacheable(CacheableRequest)
    }

    let incoming: IncomingRequest
    let route: Route
}

/// A cacheable request on its way through the pipeline.
struct CacheableRequest: Sendable {
    let incoming: IncomingRequest
    let analysed: CacheRequest
    let directives: RequestDirectives
    let namespace: String
    /// The request as received, for ``AnalysisMemo``.
    let rawKey: RawRequestKey
    /// The embedding of the newest user text, once computed.
    var queryVector: [Float]?
    /// The semantic candidate verification kept from being served, if any (compared with the miss's answer).
    var nearMiss: NearMiss?
    /// When the request was fully read (for the latency statistics).
    var received = ContinuousClock.now
}
