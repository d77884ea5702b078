import Store

/// What happened to one request, as the statistics count it.
public enum RequestResult: String, Sendable, CaseIterable {
    /// Answered from the store by exact key.
    case hitExact = "hit_exact"
    /// Answered from the store by a semantic match.
    case hitSemantic = "hit_semantic"
    /// Missed, then answered with the answer of an identical request's upstream call instead of
    /// making its own (request coalescing): saved an upstream call, but is not a hit.
    case coalesced
    /// Looked up, not found (or stale, or `no-cache`), forwarded.
    case miss
    /// Cacheable endpoint but not looked up (detail: the ``BypassReason``).
    case bypass
    /// Not one of the cached endpoints: forwarded untouched.
    case passThrough = "pass_through"
    /// Rejected by the sidecar (an invalid `X-Semcache-*` header).
    case invalid
}

/// The counted errors.
public enum StatsErrorKind: String, Sendable, CaseIterable {
    case upstream, store, embedder
}

/// Names of the counters kept besides requests.
enum StatsCounterName {
    static func error(_ kind: StatsErrorKind) -> String { "errors_\(kind.rawValue)" }
    static let storedEntries = "stored_entries"
    static let storedBytes = "stored_bytes"
    static let purgedEntries = "purged_entries"
    static let evictedEntries = "evicted_entries"
    static func verified(_ kind: VerificationKind) -> String { "verified_\(kind.rawValue)" }
    static func verifiedWrong(_ kind: VerificationKind) -> String { "verified_\(kind.rawValue)_wrong" }
    static let verificationCalls = "verification_upstream_calls"
    static let verificationOverBudget = "verification_over_budget"
    static let verificationFailed = "verification_failed"
}

/// What a verification verdict was about.
public enum VerificationKind: String, Sendable, CaseIterable {
    /// A semantic hit, checked after it was served.
    case semanticHit = "semantic_hit"
    /// An exact hit, checked after it was served (wrong: the entry was stale).
    case exactHit = "exact_hit"
    /// A semantic candidate below its context's learnt threshold, not served: the miss's fresh answer
    /// was compared with the candidate's (no extra upstream call).
    case nearMiss = "near_miss"
}

/// Names of the latency histograms.
public enum LatencyName {
    /// Request fully read → hit response written.
    public static let hit = "hit"
    /// Time a miss spent in the sidecar: request fully read → response written, minus the upstream's time.
    public static let missOverhead = "miss_overhead"
}

/// What the hits among some requests saved.
public struct SavedTally: Sendable, Equatable {
    public var promptTokens = 0
    public var completionTokens = 0
    public var costUSD = 0.0
    public var upstreamMilliseconds = 0.0

    public init(promptTokens: Int = 0, completionTokens: Int = 0, costUSD: Double = 0, upstreamMilliseconds: Double = 0) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.costUSD = costUSD
        self.upstreamMilliseconds = upstreamMilliseconds
    }

    static func += (lhs: inout SavedTally, rhs: SavedTally) {
        lhs.promptTokens += rhs.promptTokens
        lhs.completionTokens += rhs.completionTokens
        lhs.costUSD += rhs.costUSD
        lhs.upstreamMilliseconds += rhs.upstreamMilliseconds
    }
}

/// Labels of a request count.
struct RequestLabels: Hashable, Sendable {
    var endpoint: String
    var model: String
    var result: String
    var detail: String
}

/// Statistics summed over some time: requests with what their hits saved, counters, histograms.
public struct StatsTotals: Sendable {
    var requests: [RequestLabels: (count: Int, saved: SavedTally)] = [:]
    var counters: [String: Double] = [:]
    var latency: [String: LatencyHistogram] = [:]

    public init() {}

    /// Sums rows read from the store.
    public init(_ batch: StatsBatch) {
        for row in batch.requests {
            add(RequestLabels(endpoint: row.endpoint, model: row.model, result: row.result, detail: row.detail),
                count: row.requests,
                saved: SavedTally(promptTokens: row.promptTokensSaved, completionTokens: row.completionTokensSaved,
                                  costUSD: row.costSavedUSD, upstreamMilliseconds: row.upstreamMillisecondsSaved))
        }
        for row in batch.counters { counters[row.name, default: 0] += row.value }
        for row in batch.latency {
            latency[row.name, default: LatencyHistogram()].add(upperBound: row.upperBoundMilliseconds, count: row.count, sum: row.sumMilliseconds)
        }
    }

    var isEmpty: Bool { requests.isEmpty && counters.isEmpty && latency.isEmpty }

    mutating func add(_ labels: RequestLabels, count: Int, saved: SavedTally) {
        func add(to current: inout (count: Int, saved: SavedTally)) {
            current.count += count
            current.saved += saved
        }
        add(to: &requests[labels, default: (0, SavedTally())])
    }

    /// Counts one request, with its latency when given.
    mutating func record(_ labels: RequestLabels, saved: SavedTally, latency: (name: String, milliseconds: Double)?) {
        add(labels, count: 1, saved: saved)
        if let latency { self.latency[latency.name, default: LatencyHistogram()].observe(milliseconds: latency.milliseconds) }
    }

    mutating func merge(_ other: StatsTotals) {
        for (labels, value) in other.requests { add(labels, count: value.count, saved: value.saved) }
        for (name, value) in other.counters { counters[name, default: 0] += value }
        for (name, histogram) in other.latency { latency[name, default: LatencyHistogram()].merge(histogram) }
    }

    /// The totals as store rows in the bucket starting at `bucketStart`.
    func rows(bucketStart: Int64) -> StatsBatch {
        var batch = StatsBatch()
        for (labels, value) in requests {
            batch.requests.append(StatsRequestRow(
                bucketStart: bucketStart, endpoint: labels.endpoint, model: labels.model, result: labels.result, detail: labels.detail,
                requests: value.count, promptTokensSaved: value.saved.promptTokens, completionTokensSaved: value.saved.completionTokens,
                costSavedUSD: value.saved.costUSD, upstreamMillisecondsSaved: value.saved.upstreamMilliseconds))
        }
        for (name, value) in counters { batch.counters.append(StatsCounterRow(bucketStart: bucketStart, name: name, value: value)) }
        for (name, histogram) in latency {
            for index in histogram.counts.indices where histogram.counts[index] > 0 {
                batch.latency.append(StatsLatencyRow(
                    bucketStart: bucketStart, name: name, upperBoundMilliseconds: LatencyHistogram.upperBound(index),
                    count: histogram.counts[index], sumMilliseconds: histogram.sums[index]))
            }
        }
        return batch
    }

    // MARK: Reading

    /// Requests whose result is `result` (every result when nil), optionally of one model or endpoint.
    public func requestCount(_ result: RequestResult? = nil, model: String? = nil, endpoint: String? = nil) -> Int {
        requests.reduce(0) { sum, item in
            let (labels, value) = item
            guard result.map({ $0.rawValue == labels.result }) ?? true, model.map({ $0 == labels.model }) ?? true,
                  endpoint.map({ $0 == labels.endpoint }) ?? true
            else { return sum }
            return sum + value.count
        }
    }

    /// Requests of `result` per detail (e.g. bypasses per reason).
    public func details(of result: RequestResult) -> [String: Int] {
        var details: [String: Int] = [:]
        for (labels, value) in requests where labels.result == result.rawValue { details[labels.detail, default: 0] += value.count }
        return details
    }

    /// What hits saved, optionally of one model.
    public func saved(model: String? = nil) -> SavedTally {
        var total = SavedTally()
        for (labels, value) in requests where model.map({ $0 == labels.model }) ?? true { total += value.saved }
        return total
    }

    /// Every model and endpoint label seen.
    public var models: Set<String> { Set(requests.keys.map(\.model)) }
    public var endpoints: Set<String> { Set(requests.keys.map(\.endpoint)) }

    public func counter(_ name: String) -> Double { counters[name] ?? 0 }
    public func errors(_ kind: StatsErrorKind) -> Int { Int(counter(StatsCounterName.error(kind))) }
    public var storedEntries: Int { Int(counter(StatsCounterName.storedEntries)) }
    public var storedBytes: Int { Int(counter(StatsCounterName.storedBytes)) }
    public var purgedEntries: Int { Int(counter(StatsCounterName.purgedEntries)) }
    public var evictedEntries: Int { Int(counter(StatsCounterName.evictedEntries)) }
    /// Verdicts of `kind`, and how many of them found the answer wrong.
    public func verified(_ kind: VerificationKind) -> (checked: Int, wrong: Int) {
        (Int(counter(StatsCounterName.verified(kind))), Int(counter(StatsCounterName.verifiedWrong(kind))))
    }
    /// Upstream calls verification made; hits sampled but skipped because the budget was spent;
    /// checks that gave no verdict (upstream failure, an answer that could not be read).
    public var verificationCalls: Int { Int(counter(StatsCounterName.verificationCalls)) }
    public var verificationOverBudget: Int { Int(counter(StatsCounterName.verificationOverBudget)) }
    public var verificationFailed: Int { Int(counter(StatsCounterName.verificationFailed)) }
    /// Requests answered from the store, optionally of one model or endpoint.
    public func hits(model: String? = nil, endpoint: String? = nil) -> Int {
        requestCount(.hitExact, model: model, endpoint: endpoint) + requestCount(.hitSemantic, model: model, endpoint: endpoint)
    }

    /// Lookups that did not go upstream (hits and coalesced requests) over all lookups (those and
    /// misses), optionally of one model; nil before any lookup.
    public func hitRate(model: String? = nil) -> Double? {
        let answered = hits(model: model) + requestCount(.coalesced, model: model)
        let lookups = answered + requestCount(.miss, model: model)
        return lookups == 0 ? nil : Double(answered) / Double(lookups)
    }
    public func histogram(_ name: String) -> LatencyHistogram { latency[name] ?? LatencyHistogram() }

    /// Every (labels, count, saved) triple, for exposition.
    public var requestSeries: [(endpoint: String, model: String, result: String, detail: String, count: Int, saved: SavedTally)] {
        requests.map { (labels, value) in (labels.endpoint, labels.model, labels.result, labels.detail, value.count, value.saved) }
            .sorted { ($0.endpoint, $0.model, $0.result, $0.detail) < ($1.endpoint, $1.model, $1.result, $1.detail) }
    }
}
