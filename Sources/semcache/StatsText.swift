import SemanticCache

/// Renders the JSON statistics report as a terminal summary and tables.
enum StatsText {
    static func render(_ report: JSONValue) -> String {
        let requests = report["requests"]
        func count(_ key: String) -> Int { requests?[key]?.int ?? 0 }
        let hits = count("hit_exact") + count("hit_semantic")
        let saved = report["saved"]
        let promptTokens = saved?["prompt_tokens"]?.int ?? 0, completionTokens = saved?["completion_tokens"]?.int ?? 0
        let latency = report["latency_ms"]
        func quantiles(_ name: String) -> String {
            "p50 \(Format.milliseconds(latency?[name]?["p50"]?.double)), p99 \(Format.milliseconds(latency?[name]?["p99"]?.double))"
        }
        func pairs(_ value: JSONValue?) -> String {
            let items = value?.object ?? []
            return items.isEmpty ? "none" : items.map { "\($0.key) \(Format.integer($0.value.int ?? 0))" }.joined(separator: " · ")
        }
        let unpriced = (saved?["unpriced_models"]?.array ?? []).compactMap(\.string)
        var lines = [
            "semcache stats, last \(report["window"]?["label"]?.string ?? "?")",
            "  requests   \(Format.integer(count("total")))  (hits \(Format.integer(hits)): \(Format.integer(count("hit_exact"))) exact, "
                + "\(Format.integer(count("hit_semantic"))) semantic · coalesced \(Format.integer(count("coalesced")))"
                + " · misses \(Format.integer(count("miss"))) · bypasses \(Format.integer(count("bypass")))"
                + " · pass-through \(Format.integer(count("pass_through"))))",
            "  hit rate   \(Format.percent(report["hit_rate"]?.double))  ((hits + coalesced) / (hits + coalesced + misses))",
            "  saved      \(Format.integer(promptTokens + completionTokens)) tokens (\(Format.integer(promptTokens)) prompt, "
                + "\(Format.integer(completionTokens)) completion) · \(Format.usd(saved?["cost_usd"]?.double ?? 0))"
                + (unpriced.isEmpty ? "" : " (no price: \(unpriced.joined(separator: ", ")))")
                + " · \(Format.seconds(saved?["upstream_seconds"]?.double ?? 0)) of upstream time",
            "  latency    hit \(quantiles(LatencyName.hit)) · miss overhead \(quantiles(LatencyName.missOverhead))",
            "  store      \(Format.integer(report["store"]?["entries"]?.int ?? 0)) entries, \(Format.bytes(report["store"]?["bytes"]?.int ?? 0))"
                + " (\(Format.integer(report["stored"]?["entries"]?.int ?? 0)) stored, \(Format.integer(report["stored"]?["purged"]?.int ?? 0)) purged in the window)",
            "  bypasses   \(pairs(report["bypasses"]))",
            "  errors     \(pairs(report["errors"]))",
        ] + VerificationText.summary(report["verification"])
        let models = report["models"]?.array ?? []
        if !models.isEmpty {
            var table = TextTable(columns: ["model", "requests", "hits", "misses", "hit rate", "tokens saved", "saved"])
            for model in models.prefix(10) {
                table.add([
                    model["model"]?.string ?? "",
                    Format.integer(model["requests"]?.int ?? 0),
                    Format.integer(model["hits"]?.int ?? 0),
                    Format.integer(model["misses"]?.int ?? 0),
                    Format.percent(model["hit_rate"]?.double),
                    Format.integer((model["prompt_tokens_saved"]?.int ?? 0) + (model["completion_tokens_saved"]?.int ?? 0)),
                    Format.usd(model["cost_saved_usd"]?.double),
                ])
            }
            lines += ["", "top models", table.render()]
        }
        let thresholds = report["verification"]?["thresholds"]?.array ?? []
        if !thresholds.isEmpty {
            lines += ["", "learnt thresholds (busiest contexts)", VerificationText.thresholds(thresholds)]
            lines += VerificationText.entries(report["verification"]?["entries"])
        }
        let entries = report["top_entries"]?.array ?? []
        if !entries.isEmpty {
            lines += ["", "top entries", EntriesText.render(entries, saved: true)]
        }
        return lines.joined(separator: "\n")
    }
}

/// Renders entries (as the admin API lists them) as a table.
enum EntriesText {
    static func render(_ entries: [JSONValue], saved: Bool = false) -> String {
        var columns = ["id", "hits", "age", "size", "model", "namespace"]
        if saved { columns.append("saved") }
        columns.append("prompt")
        var table = TextTable(columns: columns)
        for entry in entries {
            var row = [
                String(entry["id"]?.int ?? 0),
                Format.integer(entry["hits"]?.int ?? 0),
                AgeFormat.short(seconds: entry["age_seconds"]?.int ?? 0),
                Format.bytes(entry["size_bytes"]?.int ?? 0),
                entry["model"]?.string ?? "-",
                (entry["namespace"]?.string).flatMap { $0.isEmpty ? nil : $0 } ?? "-",
            ]
            if saved { row.append(Format.usd(entry["cost_saved_usd"]?.double)) }
            row.append(TextTable.preview(entry["prompt"]?.string ?? "(\(entry["endpoint"]?.string ?? "no prompt"))", width: 60))
            table.add(row)
        }
        return table.render()
    }
}

/// The verification part of the statistics (README: "Verified hits").
enum VerificationText {
    /// Two lines: verdicts and calls, then the semantic false-hit rate; nothing when nothing was
    /// verified (verification is off by default).
    static func summary(_ verification: JSONValue?) -> [String] {
        guard let verification else { return [] }
        func counts(_ kind: String) -> (checked: Int, wrong: Int) {
            (verification[kind]?["checked"]?.int ?? 0, verification[kind]?["wrong"]?.int ?? 0)
        }
        let semantic = counts("semantic_hits"), exact = counts("exact_hits"), near = counts("near_misses")
        let calls = verification["upstream_calls"]?.int ?? 0
        guard semantic.checked + exact.checked + near.checked + calls > 0 else { return [] }
        return [
            "  verified   semantic hits \(Format.integer(semantic.checked)) checked, \(Format.integer(semantic.wrong)) wrong"
                + " · exact hits \(Format.integer(exact.checked)) checked, \(Format.integer(exact.wrong)) stale"
                + " · near misses \(Format.integer(near.checked)) compared, \(Format.integer(near.wrong)) wrong"
                + " · \(Format.integer(calls)) upstream calls, \(Format.integer(verification["over_budget"]?.int ?? 0)) over budget",
            "  false hits \(rate(verification["false_hit_rate"])) of semantic hits",
        ]
    }

    static func thresholds(_ rows: [JSONValue]) -> String {
        var table = TextTable(columns: ["context", "verdicts", "wrong", "threshold", "false-hit rate above it"])
        for row in rows {
            table.add([
                row["context"]?.string ?? "",
                Format.integer(row["verdicts"]?.int ?? 0),
                Format.integer(row["wrong"]?.int ?? 0),
                row["threshold"]?.double.map { String(format: "%.2f", $0) } ?? "none served",
                rate(row["false_hit_rate"]),
            ])
        }
        return table.render()
    }

    /// One line on the entries with a threshold of their own; nothing before an entry has verdicts.
    static func entries(_ entries: JSONValue?) -> [String] {
        guard let tracked = entries?["tracked"]?.int, tracked > 0 else { return [] }
        return ["entries with their own threshold: \(Format.integer(entries?["own_threshold"]?.int ?? 0)) served at it, "
            + "\(Format.integer(entries?["not_served"]?.int ?? 0)) not served (\(Format.integer(tracked)) entries with verdicts tracked)"]
    }

    /// `2.5% (95%: 0.8%–7.1%)`, or `–` without verdicts.
    static func rate(_ interval: JSONValue?) -> String {
        guard let estimate = interval?["estimate"]?.double else { return "–" }
        return "\(Format.percent(estimate)) (95%: \(Format.percent(interval?["low"]?.double))–\(Format.percent(interval?["high"]?.double)))"
    }
}
