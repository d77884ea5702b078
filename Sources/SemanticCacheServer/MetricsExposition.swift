import SemanticCache

/// `GET /metrics`: the counters since start in the Prometheus text format (version 0.0.4),
/// written directly (no metrics library: the sidecar already keeps every value, and labels stay
/// bounded by construction — endpoints are the five cached paths or `other`, models the first 50
/// seen or `other`).
struct MetricsExposition {
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private var lines: [String] = []

    /// Renders `totals` (since start), the store's size, the start time and the learnt thresholds.
    static func render(_ totals: StatsTotals, store: (entries: Int, bytes: Int)?, startedAt: Double, thresholds: LearntThresholds = LearntThresholds()) -> String {
        var out = MetricsExposition()
        let series = totals.requestSeries

        out.family("semcache_requests_total", .counter, "Requests by endpoint, model and result (hit_exact, hit_semantic, coalesced, miss, bypass, pass_through, invalid).")
        var requests: [[String]: Int] = [:]
        for item in series { requests[[item.endpoint, item.model, item.result], default: 0] += item.count }
        for (labels, count) in requests.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            out.sample("semcache_requests_total", [("endpoint", labels[0]), ("model", labels[1]), ("result", labels[2])], Double(count))
        }

        out.family("semcache_bypasses_total", .counter, "Cacheable requests forwarded without lookup, by reason.")
        for (reason, count) in totals.details(of: .bypass).sorted(by: { $0.key < $1.key }) {
            out.sample("semcache_bypasses_total", [("reason", reason)], Double(count))
        }

        out.family("semcache_errors_total", .counter, "Errors by kind: upstream (unreachable, timeout, cut off), store (SQLite or PostgreSQL), embedder.")
        for kind in StatsErrorKind.allCases { out.sample("semcache_errors_total", [("kind", kind.rawValue)], Double(totals.errors(kind))) }

        out.counter("semcache_stored_entries_total", "Entries written to the store.", Double(totals.storedEntries))
        out.counter("semcache_stored_bytes_total", "Bytes of the entries written to the store (response, prompt, vector).", Double(totals.storedBytes))
        out.counter("semcache_purged_entries_total", "Entries deleted by purge or eviction.", Double(totals.purgedEntries))
        out.counter("semcache_evicted_entries_total", "Entries evicted to stay within --max-entries/--max-bytes.", Double(totals.evictedEntries))
        if let store {
            out.gauge("semcache_entries", "Entries in the store.", Double(store.entries))
            out.gauge("semcache_store_bytes", "Bytes of the entries in the store (response, prompt, vector).", Double(store.bytes))
        }

        let models = totals.models.sorted()
        out.family("semcache_saved_tokens_total", .counter, "Tokens served from the cache instead of the upstream (from the stored usage), by model and kind.")
        for model in models {
            let saved = totals.saved(model: model)
            out.sample("semcache_saved_tokens_total", [("model", model), ("kind", "prompt")], Double(saved.promptTokens))
            out.sample("semcache_saved_tokens_total", [("model", model), ("kind", "completion")], Double(saved.completionTokens))
        }
        out.family("semcache_saved_cost_usd_total", .counter, "US dollars the hits would have cost upstream, by model (price table, per 1M tokens).")
        for model in models { out.sample("semcache_saved_cost_usd_total", [("model", model)], totals.saved(model: model).costUSD) }
        out.family("semcache_saved_upstream_seconds_total", .counter, "Upstream time the hits saved (each entry's recorded upstream latency, per hit), by model.")
        for model in models { out.sample("semcache_saved_upstream_seconds_total", [("model", model)], totals.saved(model: model).upstreamMilliseconds / 1000) }

        out.family("semcache_verified_total", .counter, "Verification verdicts by kind (semantic_hit, exact_hit, near_miss) and outcome (agree, wrong).")
        for kind in VerificationKind.allCases {
            let counts = totals.verified(kind)
            out.sample("semcache_verified_total", [("kind", kind.rawValue), ("outcome", "agree")], Double(counts.checked - counts.wrong))
            out.sample("semcache_verified_total", [("kind", kind.rawValue), ("outcome", "wrong")], Double(counts.wrong))
        }
        out.counter("semcache_verification_upstream_calls_total", "Extra upstream calls made to verify hits.", Double(totals.verificationCalls))
        out.counter("semcache_verification_over_budget_total", "Hits sampled for verification but skipped: --verify-budget was spent, or 64 checks were running.", Double(totals.verificationOverBudget))
        out.counter("semcache_verification_failed_total", "Verification checks that gave no verdict (upstream failure, unreadable answer).", Double(totals.verificationFailed))
        if !thresholds.contexts.isEmpty {
            out.family("semcache_semantic_threshold", .gauge, "Learnt semantic threshold of the busiest contexts (--max-false-hit-rate); +Inf: no semantic hit served.")
            for item in thresholds.contexts { out.sample("semcache_semantic_threshold", [("context", item.context)], item.threshold ?? .infinity) }
            out.family("semcache_false_hit_rate_upper", .gauge, "95% upper bound of the false-hit rate at the learnt threshold, busiest contexts.")
            for item in thresholds.contexts { out.sample("semcache_false_hit_rate_upper", [("context", item.context)], item.estimate.upper) }
            out.family("semcache_verification_entries", .gauge, "Entries with verdicts of their own counted (tracked); with enough for their own threshold, served at it (own_threshold) or not at all (not_served).")
            let entries = thresholds.entries
            for (state, count) in [("tracked", entries.tracked), ("own_threshold", entries.ownThreshold), ("not_served", entries.notServed)] {
                out.sample("semcache_verification_entries", [("state", state)], Double(count))
            }
        }

        out.histogram("semcache_hit_duration_seconds", "Hits: request fully read to response written.", totals.histogram(LatencyName.hit))
        out.histogram("semcache_miss_overhead_seconds", "Misses: time the sidecar added (request read to response written, minus the upstream's time).", totals.histogram(LatencyName.missOverhead))

        out.gauge("semcache_start_time_seconds", "Unix time the sidecar started.", startedAt)
        return out.lines.joined(separator: "\n") + "\n"
    }

    private enum Kind: String { case counter, gauge, histogram }

    private mutating func family(_ name: String, _ kind: Kind, _ help: String) {
        lines.append("# HELP \(name) \(help)")
        lines.append("# TYPE \(name) \(kind.rawValue)")
    }

    private mutating func sample(_ name: String, _ labels: [(String, String)], _ value: Double) {
        let labelText = labels.isEmpty ? "" : "{" + labels.map { "\($0.0)=\"\(Self.escape($0.1))\"" }.joined(separator: ",") + "}"
        lines.append("\(name)\(labelText) \(Self.format(value))")
    }

    private mutating func counter(_ name: String, _ help: String, _ value: Double) {
        family(name, .counter, help)
        sample(name, [], value)
    }

    private mutating func gauge(_ name: String, _ help: String, _ value: Double) {
        family(name, .gauge, help)
        sample(name, [], value)
    }

    private mutating func histogram(_ name: String, _ help: String, _ histogram: LatencyHistogram) {
        family(name, .histogram, help)
        var cumulative = 0
        for (index, count) in histogram.counts.enumerated() {
            cumulative += count
            let bound = LatencyHistogram.upperBound(index)
            sample(name + "_bucket", [("le", bound.isInfinite ? "+Inf" : Self.format(bound / 1000))], Double(cumulative))
        }
        sample(name + "_sum", [], histogram.sumMilliseconds / 1000)
        sample(name + "_count", [], Double(histogram.count))
    }

    static func escape(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    static func format(_ value: Double) -> String {
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }
}
