import Foundation
import SemanticCache
import Store
import Testing

/// Every counter after known traffic through the mock upstream, in `/_semcache/stats` and
/// `/metrics`, and across a restart.
@Suite struct StatsTests {
    static func stats(_ harness: Harness, _ query: String = "since=1h") async throws -> JSONValue {
        let response = try await harness.request("GET", "/_semcache/stats?" + query)
        #expect(response.status == 200)
        return try #require(response.json)
    }

    @Test func everyCounterAfterKnownTraffic() async throws {
        try await Harness.with { harness in
            let traffic = try await KnownTraffic.send(through: harness)
            try await harness.settle(requests: 12, entries: 3)
            #expect(traffic.franceUsage.prompt > 0 && traffic.colorsUsage.completion > 0 && traffic.embeddingTokens > 0)
            let stats = try await Self.stats(harness)

            let requests = try #require(stats["requests"])
            #expect(requests["total"]?.int == 12)
            #expect(requests["hit_exact"]?.int == 4)
            #expect(requests["hit_semantic"]?.int == 0)
            #expect(requests["miss"]?.int == 4)
            #expect(requests["bypass"]?.int == 2)
            #expect(requests["pass_through"]?.int == 1)
            #expect(requests["invalid"]?.int == 1)
            #expect(stats["hit_rate"]?.double == 0.5)
            #expect(stats["bypasses"]?["nondeterministic"]?.int == 1)
            #expect(stats["bypasses"]?["mode-off"]?.int == 1)
            #expect(stats["misses"]?["uri-miss"]?.int == 4)
            #expect(stats["errors"]?["upstream"]?.int == 1)
            #expect(stats["errors"]?["store"]?.int == 0)
            #expect(stats["errors"]?["embedder"]?.int == 0)

            let saved = try #require(stats["saved"])
            #expect(saved["prompt_tokens"]?.int == traffic.savedPromptTokens)
            #expect(saved["completion_tokens"]?.int == traffic.savedCompletionTokens)
            #expect(abs((saved["cost_usd"]?.double ?? 0) - traffic.savedCostUSD) < 1e-6)

            // Time saved: each hit saves its entry's recorded upstream latency.
            let entries = try #require(try await harness.request("GET", "/_semcache/entries?limit=10").json?["entries"]?.array)
            #expect(entries.count == 3)
            func upstreamMilliseconds(_ model: String) -> Double {
                entries.first { $0["model"]?.string == model }?["upstream_ms"]?.double ?? .nan
            }
            let expectedSeconds = (2 * upstreamMilliseconds("gpt-4o-mini") + upstreamMilliseconds("gpt-4o")
                + upstreamMilliseconds("text-embedding-3-small")) / 1000
            #expect(expectedSeconds > 0)
            #expect(abs((saved["upstream_seconds"]?.double ?? 0) - expectedSeconds) < 1e-5)

            #expect(stats["stored"]?["entries"]?.int == 3)
            let storedBytes = try #require(stats["stored"]?["bytes"]?.int)
            #expect(storedBytes == entries.reduce(0) { $0 + ($1["size_bytes"]?.int ?? 0) })
            #expect(stats["store"]?["entries"]?.int == 3)
            #expect(stats["store"]?["bytes"]?.int == storedBytes)
            #expect(stats["latency_ms"]?["hit"]?["count"]?.int == 4)
            #expect(stats["latency_ms"]?["miss_overhead"]?["count"]?.int == 3)

            let models = try #require(stats["models"]?.array)
            let mini = try #require(models.first { $0["model"]?.string == "gpt-4o-mini" })
            // 3 France, the nondeterministic and mode-off bypasses, the failing miss (the invalid request has no model).
            #expect(mini["requests"]?.int == 6)
            #expect(mini["hits"]?.int == 2)
            #expect(mini["priced"]?.bool == true)
            let top = try #require(stats["top_entries"]?.array?.first)
            #expect(top["hits"]?.int == 2)
            #expect(top["prompt"]?.string == "What is the capital of France?")
            let recentMisses = try #require(stats["recent_misses"]?.array)
            #expect(recentMisses.count == 4)
            // Newest first: the dropped connection gave no status; the stored misses had 200.
            #expect(recentMisses.map { $0["upstream_status"]?.int } == [nil, 200, 200, 200])
            // Since start, one count per request, the same as the window's (one counting system).
            let sinceStart = try #require(stats["since_start"])
            #expect(sinceStart["requests"]?.int == 12)
            #expect(sinceStart["hits_exact"]?.int == 4)
            #expect(sinceStart["hits_semantic"]?.int == 0)
            #expect(sinceStart["coalesced"]?.int == 0)
            #expect(sinceStart["misses"]?.int == 4)
            #expect(sinceStart["bypasses"] == stats["bypasses"])
            #expect(sinceStart["pass_through"]?.int == 1)
            #expect(sinceStart["invalid"]?.int == 1)
            #expect(sinceStart["stored"]?.int == 3)
            #expect(sinceStart["errors"] == stats["errors"])
        }
    }

    /// Prewarmed entries count as stored, in the window, since start and in `/metrics`.
    @Test func prewarmedEntriesCountAsStored() async throws {
        try await Harness.with { harness in
            let posted = try await harness.request("POST", "/_semcache/prewarm?format=pairs", body: Prewarm.pairsLines(3))
            #expect(posted.json?["stored"] == 3)
            let stats = try await Self.stats(harness)
            #expect(stats["stored"]?["entries"]?.int == 3)
            #expect(stats["stored"]?["bytes"] == stats["store"]?["bytes"])
            #expect(stats["since_start"]?["stored"]?.int == 3)
            let metrics = try Self.parseExposition(try await harness.request("GET", "/metrics").text)
            #expect(metrics["semcache_stored_entries_total"] == 3)
        }
    }

    /// An upstream that answers 429 or 500 is a miss (looked up, forwarded) listed among the recent
    /// misses with its status, so the dashboard shows an upstream error rather than a plain miss.
    @Test func upstreamErrorAnswersAreListedWithTheirStatus() async throws {
        try await Harness.with { harness in
            for fault in ["429", "500"] {
                let response = try await harness.post("/v1/chat/completions", json: Harness.chat("Fault \(fault)"), headers: [("x-mock-fault", fault)])
                #expect(response.status == Int(fault))
            }
            try await harness.settle(requests: 2, entries: 0)
            let stats = try await Self.stats(harness)
            #expect(stats["requests"]?["miss"]?.int == 2)
            #expect(stats["since_start"]?["misses"]?.int == 2)
            let misses = try #require(stats["recent_misses"]?.array)
            #expect(misses.map { $0["upstream_status"]?.int } == [500, 429])
            #expect(misses.map { $0["prompt"]?.string } == ["Fault 500", "Fault 429"])
        }
    }

    @Test func countersSurviveARestart() async throws {
        let harness = try await Harness.start()
        let traffic = try await KnownTraffic.send(through: harness)
        try await harness.settle(requests: 12, entries: 3)
        try await harness.stopSidecar()
        try await Harness.with(databasePath: harness.databasePath, mock: harness.mock) { restarted in
            let before = try await Self.stats(restarted)
            #expect(before["requests"]?["total"]?.int == 12)
            #expect(before["saved"]?["prompt_tokens"]?.int == traffic.savedPromptTokens)
            #expect(before["latency_ms"]?["hit"]?["count"]?.int == 4)
            #expect(before["since_start"]?["requests"]?.int == 0)
            #expect(try await restarted.post("/v1/chat/completions", json: KnownTraffic.france).header("x-semcache") == "hit-exact")
            try await restarted.settle(requests: 1, entries: 3)
            let after = try await Self.stats(restarted)
            #expect(after["requests"]?["hit_exact"]?.int == 5)
            #expect(after["saved"]?["prompt_tokens"]?.int == traffic.savedPromptTokens + traffic.franceUsage.prompt)
            let series = try await Self.stats(restarted, "since=1h&series=60")
            let points = try #require(series["series"]?["points"]?.array)
            #expect(points.reduce(0) { $0 + ($1["hits"]?.int ?? 0) } == 5)
            #expect(points.reduce(0) { $0 + ($1["requests"]?.int ?? 0) } == 13)
        }
        harness.client.shutdown()
    }

    @Test func metricsExposeEverySeries() async throws {
        try await Harness.with { harness in
            let traffic = try await KnownTraffic.send(through: harness)
            try await harness.settle(requests: 12, entries: 3)
            let response = try await harness.request("GET", "/metrics")
            #expect(response.status == 200)
            #expect(response.header("content-type")?.hasPrefix("text/plain; version=0.0.4") == true)
            let samples = try Self.parseExposition(response.text)
            let chat = #"endpoint="/v1/chat/completions""#
            #expect(samples[#"semcache_requests_total{\#(chat),model="gpt-4o-mini",result="hit_exact"}"#] == 2)
            #expect(samples[#"semcache_requests_total{\#(chat),model="gpt-4o",result="hit_exact"}"#] == 1)
            #expect(samples[#"semcache_requests_total{endpoint="/v1/embeddings",model="text-embedding-3-small",result="miss"}"#] == 1)
            #expect(samples[#"semcache_requests_total{\#(chat),model="gpt-4o-mini",result="miss"}"#] == 2)
            #expect(samples[#"semcache_requests_total{endpoint="other",model="",result="pass_through"}"#] == 1)
            #expect(samples[#"semcache_bypasses_total{reason="nondeterministic"}"#] == 1)
            #expect(samples[#"semcache_errors_total{kind="upstream"}"#] == 1)
            #expect(samples[#"semcache_errors_total{kind="store"}"#] == 0)
            #expect(samples[#"semcache_requests_total{\#(chat),model="gpt-4o-mini",result="coalesced"}"#] == nil)
            #expect(samples["semcache_stored_entries_total"] == 3)
            #expect(samples["semcache_entries"] == 3)
            #expect(samples[#"semcache_saved_tokens_total{model="gpt-4o-mini",kind="prompt"}"#] == Double(2 * traffic.franceUsage.prompt))
            #expect(samples[#"semcache_saved_tokens_total{model="gpt-4o",kind="completion"}"#] == Double(traffic.colorsUsage.completion))
            #expect(samples["semcache_hit_duration_seconds_count"] == 4)
            #expect(samples[#"semcache_hit_duration_seconds_bucket{le="+Inf"}"#] == 4)
            #expect(samples["semcache_miss_overhead_seconds_count"] == 3)
            // Buckets are cumulative.
            let buckets = samples.filter { $0.key.hasPrefix("semcache_hit_duration_seconds_bucket") }
            #expect(buckets.count == LatencyHistogram.boundsMilliseconds.count + 1)
            #expect(buckets.values.allSatisfy { $0 <= 4 })
            let totalCost = samples.filter { $0.key.hasPrefix("semcache_saved_cost_usd_total") }.values.reduce(0, +)
            #expect(abs(totalCost - traffic.savedCostUSD) < 1e-9)
        }
    }

    /// `name{labels} value` lines into a dictionary; every family must have HELP and TYPE lines.
    static func parseExposition(_ text: String) throws -> [String: Double] {
        var samples: [String: Double] = [:]
        var typed = Set<String>()
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") { typed.insert(String(line.split(separator: " ")[2])) }
            if line.hasPrefix("#") { continue }
            let space = try #require(line.lastIndex(of: " "))
            let series = String(line[..<space])
            let name = String(series.prefix { $0 != "{" })
            let family = ["_bucket", "_sum", "_count"].reduce(name) { $0.hasSuffix($1) && !typed.contains($0) ? String($0.dropLast($1.count)) : $0 }
            #expect(typed.contains(family), "no TYPE line for \(family)")
            let value = String(line[line.index(after: space)...])
            samples[series] = value == "+Inf" ? .infinity : Double(value)
            #expect(samples[series] != nil, "not a number: \(value)")
        }
        return samples
    }

    /// A sidecar started on a file with a week-old day of minute buckets merges them per hour in its
    /// first maintenance round: the 7-day report is unchanged, with 24 rows instead of 1,440.
    @Test func oldMinuteBucketsAreMergedPerHourByTheSidecar() async throws {
        let path = Harness.temporaryDatabase()
        let dayStart = (Int64(Date().timeIntervalSince1970) - 6 * 86_400) / 86_400 * 86_400
        let seeded = try await CacheStore.open(path: path)
        try await seeded.addStats(StatsBatch(requests: (Int64(0)..<1440).map { minute in
            StatsRequestRow(bucketStart: dayStart + minute * 60, endpoint: "/v1/chat/completions", model: "gpt-4o-mini",
                            result: "hit_exact", detail: "", requests: 2, promptTokensSaved: 10)
        }))
        try await Harness.with(databasePath: path) { harness in
            var rows: [StatsRequestRow] = []
            for _ in 0..<500 {  // the first round runs at start; bounded wait, not a timing assertion
                rows = try await seeded.statsSeries(since: 0, step: 60)
                if rows.count == 24 { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(rows.count == 24)
            #expect(rows.allSatisfy { $0.bucketStart % 3600 == 0 && $0.requests == 120 })
            let week = try await Self.stats(harness, "since=7d")
            #expect(week["requests"]?["hit_exact"]?.int == 2880)
        }
    }
}
