import Foundation
import Logging
import Store
import Synchronization

/// Counts what the sidecar does, per endpoint, model and result, with what hits saved and how
/// long hits and misses took: the one source of every count `/_semcache/stats`, `/metrics`,
/// `semcache stats` and the dashboard show. Recording is a lock and a few dictionary updates
/// (never I/O); the counts go to the store in one-minute buckets every few seconds and at
/// shutdown, through the store's group-committed writer, so they survive restarts.
public final class StatsRecorder: Sendable {
    /// Turns tokens served from the cache into money.
    public let prices: PriceTable
    /// Unix seconds when the recorder started.
    public let startedAt: Double
    static let recentMissLimit = 20
    static let bucketSeconds: Int64 = 60

    private struct State {
        var sinceStart = StatsTotals()
        /// Not yet in the store, by bucket start.
        var pending: [Int64: StatsTotals] = [:]
        var models = ModelLabels()
        var recentMisses: [RecentMiss] = []
        /// The learnt thresholds (in memory only, like what they are learnt from).
        var learntThresholds = LearntThresholds()

        /// Counts `delta` since start and, when there is a store to write it to, in its bucket.
        mutating func add(_ delta: StatsTotals, bucket: Int64, persisted: Bool) {
            sinceStart.merge(delta)
            if persisted { pending[bucket, default: StatsTotals()].merge(delta) }
        }
    }

    private let state = Mutex(State())
    private let flushing = Mutex<Task<Void, Never>?>(nil)
    /// Where the counts are written; set later with ``attach(_:)`` when the store opens after the start.
    private let storeSlot: Mutex<(any CacheStoring)?>
    /// Whether counts are kept for a store: one is open, or one is expected (``attach(_:)``).
    private let persisted: Bool
    private let logger: Logger

    /// - Parameter expectingStore: keep the counts for a store attached later with ``attach(_:)``
    ///   (a shared database that did not answer at the start): they are written once it opens.
    public init(store: (any CacheStoring)?, expectingStore: Bool = false, prices: PriceTable, logger: Logger) {
        self.storeSlot = Mutex(store)
        self.persisted = store != nil || expectingStore
        self.prices = prices
        self.logger = logger
        self.startedAt = Date().timeIntervalSince1970
    }

    // MARK: Recording

    /// A hit was written: counts it with the tokens, money and upstream time its entry saved.
    public func recordHit(exact: Bool, endpoint: String, model: String?, entry: NewEntry, latency: Duration) {
        let prompt = entry.promptTokens ?? 0, completion = entry.completionTokens ?? 0
        let cost = model.flatMap(prices.price(for:))?.cost(promptTokens: prompt, completionTokens: completion) ?? 0
        let saved = SavedTally(promptTokens: prompt, completionTokens: completion, costUSD: cost, upstreamMilliseconds: entry.upstreamMilliseconds)
        record(endpoint: endpoint, model: model, result: exact ? .hitExact : .hitSemantic, saved: saved,
               latency: (LatencyName.hit, latency.milliseconds))
    }

    /// A request was answered by an identical request's upstream call (request coalescing). Its
    /// wait for that call is not hit latency, and its answer was not read from the store, so
    /// neither latency nor savings are recorded.
    public func recordCoalesced(endpoint: String, model: String?) {
        record(endpoint: endpoint, model: model, result: .coalesced)
    }

    /// A miss was forwarded; `overhead` is the time the sidecar added (nil when the upstream
    /// failed), `upstreamStatus` the status the upstream answered (nil when it gave none).
    public func recordMiss(endpoint: String, model: String?, reason: String, prompt: String?, overhead: Duration?, upstreamStatus: Int?) {
        let label = record(endpoint: endpoint, model: model, result: .miss, detail: reason,
                           latency: overhead.map { (LatencyName.missOverhead, $0.milliseconds) })
        let miss = RecentMiss(time: Date().timeIntervalSince1970, endpoint: endpoint, model: label, reason: reason,
                              upstreamStatus: upstreamStatus, promptPreview: prompt.map { String($0.prefix(120)) })
        state.withLock { state in
            state.recentMisses.append(miss)
            if state.recentMisses.count > Self.recentMissLimit { state.recentMisses.removeFirst() }
        }
    }

    /// A cacheable request was forwarded without a lookup, for `reason`.
    public func recordBypass(endpoint: String, model: String?, reason: BypassReason) {
        record(endpoint: endpoint, model: model, result: .bypass, detail: reason.rawValue)
    }

    /// A request to a path the cache does not handle.
    public func recordPassThrough() {
        record(endpoint: "other", model: nil, result: .passThrough)
    }

    /// A request the sidecar rejected (invalid `X-Semcache-*` header).
    public func recordInvalid(endpoint: String) {
        record(endpoint: endpoint, model: nil, result: .invalid)
    }

    /// An error of the upstream, the store or the embedder.
    public func recordError(_ kind: StatsErrorKind) {
        count(StatsCounterName.error(kind), 1)
    }

    /// `entries` entries of `bytes` in all (response, prompt and vector) were written to the store,
    /// by a miss or by prewarming.
    public func recordStored(entries: Int = 1, bytes: Int) {
        guard entries > 0 else { return }
        count(StatsCounterName.storedEntries, Double(entries))
        count(StatsCounterName.storedBytes, Double(bytes))
    }

    /// Entries deleted by a purge.
    public func recordPurged(_ entries: Int) {
        guard entries > 0 else { return }
        count(StatsCounterName.purgedEntries, Double(entries))
    }

    /// Entries deleted to stay within `--max-entries`/`--max-bytes` (also counted as purged).
    public func recordEvicted(_ entries: Int) {
        guard entries > 0 else { return }
        count(StatsCounterName.evictedEntries, Double(entries))
    }

    /// A verification verdict on an answer of `kind`.
    public func recordVerdict(_ kind: VerificationKind, wrong: Bool) {
        var delta = StatsTotals()
        delta.counters[StatsCounterName.verified(kind)] = 1
        if wrong { delta.counters[StatsCounterName.verifiedWrong(kind)] = 1 }
        add(delta)
    }

    /// An upstream call made to verify a hit.
    public func recordVerificationCall() { count(StatsCounterName.verificationCalls, 1) }

    /// A hit sampled for verification but not checked: the budget was spent, or the most checks at once were running.
    public func recordVerificationOverBudget() { count(StatsCounterName.verificationOverBudget, 1) }

    /// A check that gave no verdict (upstream failure, an answer it could not read, a near miss not compared because 64 checks were running).
    public func recordVerificationFailed() { count(StatsCounterName.verificationFailed, 1) }

    /// The learnt thresholds, after a verdict changed them.
    public func recordThresholds(_ thresholds: LearntThresholds) {
        state.withLock { $0.learntThresholds = thresholds }
    }

    /// Counts one request in place (no intermediate totals: this runs for every hit).
    @discardableResult
    private func record(
        endpoint: String, model: String?, result: RequestResult, detail: String = "", saved: SavedTally = SavedTally(),
        latency: (name: String, milliseconds: Double)? = nil
    ) -> String {
        let bucket = Self.currentBucket()
        return state.withLock { state in
            let labels = RequestLabels(endpoint: endpoint, model: state.models.label(for: model), result: result.rawValue, detail: detail)
            state.sinceStart.record(labels, saved: saved, latency: latency)
            if persisted { state.pending[bucket, default: StatsTotals()].record(labels, saved: saved, latency: latency) }
            return labels.model
        }
    }

    private func count(_ name: String, _ value: Double) {
        var delta = StatsTotals()
        delta.counters[name] = value
        add(delta)
    }

    private func add(_ delta: StatsTotals) {
        let bucket = Self.currentBucket()
        state.withLock { $0.add(delta, bucket: bucket, persisted: persisted) }
    }

    static func currentBucket() -> Int64 {
        Int64(Date().timeIntervalSince1970) / bucketSeconds * bucketSeconds
    }

    // MARK: Reading

    /// Everything counted since start (what `/metrics` exposes).
    public var sinceStart: StatsTotals { state.withLock { $0.sinceStart } }

    /// The last misses, newest first.
    public var recentMisses: [RecentMiss] { state.withLock { $0.recentMisses.reversed() } }

    /// The learnt thresholds (none until a verdict).
    public var learntThresholds: LearntThresholds { state.withLock { $0.learntThresholds } }

    // MARK: Persisting

    /// Writes the counts to `store` from now on, those kept since the start included.
    public func attach(_ store: any CacheStoring) {
        storeSlot.withLock { $0 = store }
    }

    /// Writes the counts not yet in the store. On a store error they are kept for the next try.
    public func flush() async {
        guard let store = storeSlot.withLock({ $0 }) else { return }
        let pending = state.withLock { state in
            let pending = state.pending
            state.pending.removeAll()
            return pending
        }
        guard !pending.isEmpty else { return }
        var batch = StatsBatch()
        for (bucket, totals) in pending {
            let rows = totals.rows(bucketStart: bucket)
            batch.requests += rows.requests
            batch.counters += rows.counters
            batch.latency += rows.latency
        }
        do {
            try await store.addStats(batch)
        } catch {
            state.withLock { state in
                for (bucket, totals) in pending { state.pending[bucket, default: StatsTotals()].merge(totals) }
            }
            recordError(.store)
            logger.error("cache store error while writing statistics; they are kept in memory for the next try", metadata: ["cause": "\(error)"])
        }
    }

    /// Flushes every `interval` until ``stop()``.
    public func startFlushing(every interval: Duration = .seconds(5)) {
        guard persisted else { return }
        let task = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard let self else { return }
                await self.flush()
            }
        }
        flushing.withLock { $0 = task }
    }

    /// Stops the periodic flush and writes what is left.
    public func stop() async {
        let task = flushing.withLock { task in
            defer { task = nil }
            return task
        }
        task?.cancel()
        await task?.value
        await flush()
    }
}
