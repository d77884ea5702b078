import Store

/// The statistics report behind `GET /_semcache/stats`, `semcache stats` and the dashboard: what
/// a window of time saved, read from the store's buckets (plus, for a running sidecar, what is
/// only in memory: recent misses and counters since start).
public struct StatsReport: Sendable {
    /// The window: from `since` (unix seconds) to now.
    public var since: Int64
    /// How the window was asked for (`24h`, `all`, …).
    public var label: String
    /// Seconds per point of the time series; nil for no series.
    public var seriesStep: Int64?
    public var topEntryCount = 10
    static let maxPoints: Int64 = 2000

    public init(since: Int64, label: String, seriesStep: Int64? = nil) {
        self.since = since
        self.label = label
        self.seriesStep = seriesStep
    }

    /// A step giving about 60 points over the window, in whole minutes.
    public static func automaticStep(since: Int64, now: Int64) -> Int64 {
        let minutes = max(1, (now - since) / 60 / 60)
        return minutes * 60
    }

    /// Builds the report from `store`; `recorder` (a running sidecar's) adds what is only in memory.
    public func build(store: some CacheStoring, prices: PriceTable, recorder: StatsRecorder?, now: Double) async throws(StoreError) -> JSONValue {
        let totals = StatsTotals(try await store.statsTotals(since: since))
        let size = try await store.size()
        let top = try await store.entrySummaries(EntryFilter(), order: .hits, limit: topEntryCount).filter { $0.hits > 0 }
        var members: [(key: String, value: JSONValue)] = [
            (key: "window", value: .object([
                (key: "label", value: .string(label)), (key: "since", value: .integer(Int(since))), (key: "until", value: .integer(Int(now))),
            ])),
            (key: "requests", value: .object(
                [(key: "total", value: .integer(totals.requestCount()))]
                    + RequestResult.allCases.map { (key: $0.rawValue, value: .integer(totals.requestCount($0))) })),
            (key: "hit_rate", value: Self.hitRate(totals)),
            (key: "bypasses", value: Self.counts(totals.details(of: .bypass))),
            (key: "misses", value: Self.counts(totals.details(of: .miss))),
            (key: "errors", value: .object(StatsErrorKind.allCases.map { (key: $0.rawValue, value: .integer(totals.errors($0))) })),
            (key: "saved", value: Self.saved(totals, prices: prices)),
            (key: "stored", value: .object([
                (key: "entries", value: .integer(totals.storedEntries)), (key: "bytes", value: .integer(totals.storedBytes)),
                (key: "purged", value: .integer(totals.purgedEntries)),
            ])),
            (key: "store", value: .object([(key: "entries", value: .integer(size.entries)), (key: "bytes", value: .integer(size.bytes))])),
            (key: "latency_ms", value: .object([LatencyName.hit, LatencyName.missOverhead].map { (key: $0, value: Self.latency(totals.histogram($0))) })),
            (key: "models", value: .array(Self.models(totals, prices: prices))),
            (key: "endpoints", value: .array(totals.endpoints.sorted().map { endpoint in
                .object([
                    (key: "endpoint", value: .string(endpoint)),
                    (key: "requests", value: .integer(totals.requestCount(endpoint: endpoint))),
                    (key: "hits", value: .integer(totals.hits(endpoint: endpoint))),
                    (key: "coalesced", value: .integer(totals.requestCount(.coalesced, endpoint: endpoint))),
                    (key: "misses", value: .integer(totals.requestCount(.miss, endpoint: endpoint))),
                ])
            })),
            (key: "verification", value: Self.verification(totals, thresholds: recorder?.learntThresholds)),
            (key: "top_entries", value: .array(top.map { Self.entry($0, prices: prices, now: now) })),
            (key: "prices_as_of", value: .string(prices.asOf)),
        ]
        if let seriesStep {
            let rows = try await store.statsSeries(since: since, step: seriesStep)
            members.append((key: "series", value: Self.series(rows, since: since, step: max(60, seriesStep), now: Int64(now))))
        }
        if let recorder {
            members.append((key: "recent_misses", value: .array(recorder.recentMisses.map(Self.miss))))
            members.append((key: "since_start", value: Self.sinceStart(recorder.sinceStart, startedAt: recorder.startedAt)))
        }
        return .object(members)
    }

    /// Lookups that did not go upstream over all lookups (``StatsTotals/hitRate(model:)``); null before any lookup.
    static func hitRate(_ totals: StatsTotals, model: String? = nil) -> JSONValue {
        totals.hitRate(model: model).map(JSONValue.real) ?? .null
    }

    /// Verdicts by kind, the semantic false-hit rate with its Wilson 95 % interval (served semantic
    /// hits are sampled uniformly, so it estimates the rate of all of them), the upstream calls
    /// spent, and — for a running sidecar — the busiest contexts' learnt thresholds and the counts
    /// of entries with one of their own.
    static func verification(_ totals: StatsTotals, thresholds: LearntThresholds?) -> JSONValue {
        let semantic = totals.verified(.semanticHit)
        var members: [(key: String, value: JSONValue)] = VerificationKind.allCases.map { kind in
            let counts = totals.verified(kind)
            let key = switch kind {
            case .semanticHit: "semantic_hits"
            case .exactHit: "exact_hits"
            case .nearMiss: "near_misses"
            }
            return (key: key, value: .object([(key: "checked", value: .integer(counts.checked)), (key: "wrong", value: .integer(counts.wrong))]))
        }
        members += [
            (key: "false_hit_rate", value: interval(WilsonInterval(errors: semantic.wrong, trials: semantic.checked))),
            (key: "upstream_calls", value: .integer(totals.verificationCalls)),
            (key: "over_budget", value: .integer(totals.verificationOverBudget)),
            (key: "failed", value: .integer(totals.verificationFailed)),
        ]
        if let thresholds {
            members.append((key: "thresholds", value: .array(thresholds.contexts.map { item in
                .object([
                    (key: "context", value: .string(item.context)),
                    (key: "verdicts", value: .integer(item.verdicts)),
                    (key: "wrong", value: .integer(item.wrong)),
                    (key: "threshold", value: item.threshold.map(JSONValue.real) ?? .null),
                    (key: "false_hit_rate", value: interval(item.estimate)),
                ])
            })))
            members.append((key: "entries", value: .object([
                (key: "tracked", value: .integer(thresholds.entries.tracked)),
                (key: "own_threshold", value: .integer(thresholds.entries.ownThreshold)),
                (key: "not_served", value: .integer(thresholds.entries.notServed)),
            ])))
        }
        return .object(members)
    }

    /// `{estimate, low, high}` of a rate; nulls without trials.
    private static func interval(_ interval: WilsonInterval) -> JSONValue {
        guard let rate = interval.rate else { return .object([(key: "estimate", value: .null), (key: "low", value: .null), (key: "high", value: .null)]) }
        return .object([(key: "estimate", value: .real(rate)), (key: "low", value: .real(interval.lower)), (key: "high", value: .real(interval.upper))])
    }

    private static func counts(_ counts: [String: Int]) -> JSONValue {
        .object(counts.sorted { $0.key < $1.key }.map { (key: $0.key, value: .integer($0.value)) })
    }

    /// What the hits saved; `unpriced_models` names the models whose saved tokens the price table
    /// has no price for (their money is not in `cost_usd`).
    private static func saved(_ totals: StatsTotals, prices: PriceTable) -> JSONValue {
        let saved = totals.saved()
        let unpriced = totals.models.filter { model in
            let tally = totals.saved(model: model)
            return !model.isEmpty && tally.promptTokens + tally.completionTokens > 0 && prices.price(for: model) == nil
        }
        return .object([
            (key: "prompt_tokens", value: .integer(saved.promptTokens)),
            (key: "completion_tokens", value: .integer(saved.completionTokens)),
            (key: "cost_usd", value: .real(saved.costUSD)),
            (key: "unpriced_models", value: .array(unpriced.sorted().map(JSONValue.string))),
            (key: "upstream_seconds", value: .real(saved.upstreamMilliseconds / 1000)),
        ])
    }

    private static func latency(_ histogram: LatencyHistogram) -> JSONValue {
        let count = histogram.count
        func value(_ number: Double?) -> JSONValue { number.map { .real($0) } ?? .null }
        return .object([
            (key: "count", value: .integer(count)),
            (key: "mean", value: value(count == 0 ? nil : histogram.sumMilliseconds / Double(count))),
            (key: "p50", value: value(histogram.quantile(0.5))),
            (key: "p90", value: value(histogram.quantile(0.9))),
            (key: "p99", value: value(histogram.quantile(0.99))),
        ])
    }

    /// Models by requests, most first.
    private static func models(_ totals: StatsTotals, prices: PriceTable) -> [JSONValue] {
        totals.models.filter { !$0.isEmpty }
            .map { (model: $0, requests: totals.requestCount(model: $0)) }
            .sorted { ($0.requests, $1.model) > ($1.requests, $0.model) }
            .map { item in
                let saved = totals.saved(model: item.model)
                let priced = prices.price(for: item.model) != nil
                return .object([
                    (key: "model", value: .string(item.model)),
                    (key: "requests", value: .integer(item.requests)),
                    (key: "hits", value: .integer(totals.hits(model: item.model))),
                    (key: "coalesced", value: .integer(totals.requestCount(.coalesced, model: item.model))),
                    (key: "misses", value: .integer(totals.requestCount(.miss, model: item.model))),
                    (key: "hit_rate", value: hitRate(totals, model: item.model)),
                    (key: "prompt_tokens_saved", value: .integer(saved.promptTokens)),
                    (key: "completion_tokens_saved", value: .integer(saved.completionTokens)),
                    (key: "cost_saved_usd", value: priced ? .real(saved.costUSD) : .null),
                    (key: "priced", value: .bool(priced)),
                ])
            }
    }

    /// An entry as the admin API and `semcache entries` show it, with what its hits saved
    /// (`cost_saved_usd` is null when its model has no price).
    public static func entry(_ entry: EntrySummary, prices: PriceTable, now: Double) -> JSONValue {
        let cost = entry.model.flatMap(prices.price(for:))?.cost(promptTokens: entry.promptTokens ?? 0, completionTokens: entry.completionTokens ?? 0)
        return .object([
            (key: "id", value: .integer(Int(entry.id))),
            (key: "endpoint", value: .string(entry.endpoint)),
            (key: "model", value: entry.model.map(JSONValue.string) ?? .null),
            (key: "namespace", value: .string(entry.namespace)),
            (key: "prompt", value: entry.promptPreview.map(JSONValue.string) ?? .null),
            (key: "hits", value: .integer(entry.hits)),
            (key: "age_seconds", value: .integer(max(0, Int(now - entry.createdAt)))),
            (key: "size_bytes", value: .integer(entry.sizeBytes)),
            (key: "prompt_tokens", value: entry.promptTokens.map(JSONValue.integer) ?? .null),
            (key: "completion_tokens", value: entry.completionTokens.map(JSONValue.integer) ?? .null),
            (key: "upstream_ms", value: .real(entry.upstreamMilliseconds)),
            (key: "cost_saved_usd", value: cost.map { .real($0 * Double(entry.hits)) } ?? .null),
        ])
    }

    /// One point per step from the window's start to now, zeros where nothing happened.
    private static func series(_ rows: [StatsRequestRow], since: Int64, step: Int64, now: Int64) -> JSONValue {
        var byStep: [Int64: [String: (requests: Int, cost: Double)]] = [:]
        for row in rows {
            var results = byStep[row.bucketStart] ?? [:]
            let current = results[row.result] ?? (0, 0)
            results[row.result] = (current.requests + row.requests, current.cost + row.costSavedUSD)
            byStep[row.bucketStart] = results
        }
        // From the first step with data (at most `maxPoints` back), so "all" starts where the data does.
        let first = max(max(since, byStep.keys.min() ?? now) / step, now / step - Self.maxPoints) * step
        let points = stride(from: first, through: now / step * step, by: Int(step)).map { start -> JSONValue in
            let results = byStep[start] ?? [:]
            func count(_ result: RequestResult) -> Int { results[result.rawValue]?.requests ?? 0 }
            return .object([
                (key: "t", value: .integer(Int(start))),
                (key: "requests", value: .integer(results.values.reduce(0) { $0 + $1.requests })),
                (key: "hits", value: .integer(count(.hitExact) + count(.hitSemantic))),
                (key: "coalesced", value: .integer(count(.coalesced))),
                (key: "misses", value: .integer(count(.miss))),
                (key: "bypasses", value: .integer(count(.bypass))),
                (key: "cost_saved_usd", value: .real(results.values.reduce(0) { $0 + $1.cost })),
            ])
        }
        return .object([(key: "step_seconds", value: .integer(Int(step))), (key: "points", value: .array(points))])
    }

    private static func miss(_ miss: RecentMiss) -> JSONValue {
        .object([
            (key: "time", value: .real(miss.time)),
            (key: "endpoint", value: .string(miss.endpoint)),
            (key: "model", value: .string(miss.model)),
            (key: "reason", value: .string(miss.reason)),
            (key: "upstream_status", value: miss.upstreamStatus.map(JSONValue.integer) ?? .null),
            (key: "prompt", value: miss.promptPreview.map(JSONValue.string) ?? .null),
        ])
    }

    /// The counts since the sidecar started, from the same totals as `/metrics`.
    private static func sinceStart(_ totals: StatsTotals, startedAt: Double) -> JSONValue {
        .object([
            (key: "started_at", value: .real(startedAt)),
            (key: "requests", value: .integer(totals.requestCount())),
            (key: "hits_exact", value: .integer(totals.requestCount(.hitExact))),
            (key: "hits_semantic", value: .integer(totals.requestCount(.hitSemantic))),
            (key: "coalesced", value: .integer(totals.requestCount(.coalesced))),
            (key: "misses", value: .integer(totals.requestCount(.miss))),
            (key: "bypasses", value: counts(totals.details(of: .bypass))),
            (key: "pass_through", value: .integer(totals.requestCount(.passThrough))),
            (key: "invalid", value: .integer(totals.requestCount(.invalid))),
            (key: "stored", value: .integer(totals.storedEntries)),
            (key: "evicted", value: .integer(totals.evictedEntries)),
            (key: "errors", value: .object(StatsErrorKind.allCases.map { (key: $0.rawValue, value: .integer(totals.errors($0))) })),
        ])
    }
}
