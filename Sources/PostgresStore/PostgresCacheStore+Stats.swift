import PostgresNIO
import Store

/// Statistics in one-minute buckets, shared by the fleet: every sidecar adds its rows.
extension PostgresCacheStore {
    public func addStats(_ batch: StatsBatch) async throws(StoreError) {
        guard !batch.isEmpty else { return }
        let requests = batch.requests
        let counters = batch.counters
        let latency = batch.latency
        try await PostgresErrors.mapping(target) { [client, logger] in
            try await client.withTransaction(logger: logger) { connection in
                if !requests.isEmpty {
                    try await connection.query("""
                        INSERT INTO stats_buckets AS b (bucket_start, endpoint, model, result, detail, requests, prompt_tokens_saved,
                            completion_tokens_saved, cost_saved_usd, upstream_ms_saved)
                        SELECT * FROM unnest(\(requests.map(\.bucketStart)), \(requests.map(\.endpoint)), \(requests.map(\.model)),
                            \(requests.map(\.result)), \(requests.map(\.detail)), \(requests.map { Int64($0.requests) }),
                            \(requests.map { Int64($0.promptTokensSaved) }), \(requests.map { Int64($0.completionTokensSaved) }),
                            \(requests.map(\.costSavedUSD)), \(requests.map(\.upstreamMillisecondsSaved)))
                        ON CONFLICT (bucket_start, endpoint, model, result, detail) DO UPDATE SET requests = b.requests + excluded.requests,
                            prompt_tokens_saved = b.prompt_tokens_saved + excluded.prompt_tokens_saved,
                            completion_tokens_saved = b.completion_tokens_saved + excluded.completion_tokens_saved,
                            cost_saved_usd = b.cost_saved_usd + excluded.cost_saved_usd,
                            upstream_ms_saved = b.upstream_ms_saved + excluded.upstream_ms_saved
                        """, logger: logger)
                }
                if !counters.isEmpty {
                    try await connection.query("""
                        INSERT INTO stats_counters AS c (bucket_start, name, value)
                        SELECT * FROM unnest(\(counters.map(\.bucketStart)), \(counters.map(\.name)), \(counters.map(\.value)))
                        ON CONFLICT (bucket_start, name) DO UPDATE SET value = c.value + excluded.value
                        """, logger: logger)
                }
                if !latency.isEmpty {
                    try await connection.query("""
                        INSERT INTO stats_latency AS l (bucket_start, name, le_ms, count, sum_ms)
                        SELECT * FROM unnest(\(latency.map(\.bucketStart)), \(latency.map(\.name)),
                            \(latency.map(\.upperBoundMilliseconds)), \(latency.map { Int64($0.count) }), \(latency.map(\.sumMilliseconds)))
                        ON CONFLICT (bucket_start, name, le_ms) DO UPDATE SET count = l.count + excluded.count, sum_ms = l.sum_ms + excluded.sum_ms
                        """, logger: logger)
                }
            }
        }
    }

    public func statsTotals(since: Int64) async throws(StoreError) -> StatsBatch {
        let requests = try await rows("""
            SELECT endpoint, model, result, detail, sum(requests)::bigint, sum(prompt_tokens_saved)::bigint,
                sum(completion_tokens_saved)::bigint, sum(cost_saved_usd), sum(upstream_ms_saved)
            FROM stats_buckets WHERE bucket_start >= \(since) GROUP BY endpoint, model, result, detail
            """) { row in
            let (endpoint, model, result, detail, count, prompt, completion, cost, upstream) =
                try row.decode((String, String, String, String, Int, Int, Int, Double, Double).self)
            return StatsRequestRow(
                bucketStart: since, endpoint: endpoint, model: model, result: result, detail: detail, requests: count,
                promptTokensSaved: prompt, completionTokensSaved: completion, costSavedUSD: cost, upstreamMillisecondsSaved: upstream)
        }
        let counters = try await rows("SELECT name, sum(value) FROM stats_counters WHERE bucket_start >= \(since) GROUP BY name") { row in
            let (name, value) = try row.decode((String, Double).self)
            return StatsCounterRow(bucketStart: since, name: name, value: value)
        }
        let latency = try await rows("""
            SELECT name, le_ms, sum(count)::bigint, sum(sum_ms) FROM stats_latency WHERE bucket_start >= \(since) GROUP BY name, le_ms
            """) { row in
            let (name, bound, count, sum) = try row.decode((String, Double, Int, Double).self)
            return StatsLatencyRow(bucketStart: since, name: name, upperBoundMilliseconds: bound, count: count, sumMilliseconds: sum)
        }
        return StatsBatch(requests: requests, counters: counters, latency: latency)
    }

    public func statsSeries(since: Int64, step: Int64) async throws(StoreError) -> [StatsRequestRow] {
        let step = max(60, step)
        return try await rows("""
            SELECT (bucket_start / \(step)) * \(step) AS step_start, result, sum(requests)::bigint, sum(prompt_tokens_saved)::bigint,
                sum(completion_tokens_saved)::bigint, sum(cost_saved_usd), sum(upstream_ms_saved)
            FROM stats_buckets WHERE bucket_start >= \(since) GROUP BY step_start, result ORDER BY step_start
            """) { row in
            let (start, result, count, prompt, completion, cost, upstream) = try row.decode((Int64, String, Int, Int, Int, Double, Double).self)
            return StatsRequestRow(
                bucketStart: start, endpoint: "", model: "", result: result, detail: "", requests: count, promptTokensSaved: prompt,
                completionTokensSaved: completion, costSavedUSD: cost, upstreamMillisecondsSaved: upstream)
        }
    }

    public func firstStatsBucket() async throws(StoreError) -> Int64? {
        try await rows("SELECT min(bucket_start) FROM stats_buckets") { try $0.decode(Int64?.self) }.first ?? nil
    }

    @discardableResult
    public func compactStats(before cutoff: Int64, granularity: Int64) async throws(StoreError) -> Int {
        precondition(granularity >= 60, "buckets are at least a minute")
        return try await PostgresErrors.mapping(target) { [client, logger] in
            try await client.withTransaction(logger: logger) { connection in
                var removed = 0
                for table in StatsTables.all {
                    let keys = table.keys.joined(separator: ", ")
                    let sums = table.sums.map { "sum(\($0))" }.joined(separator: ", ")
                    let updates = table.sums.map { "\($0) = t.\($0) + excluded.\($0)" }.joined(separator: ", ")
                    let bucket = "(bucket_start / \(granularity)) * \(granularity)"
                    let old = "bucket_start < \(cutoff) AND bucket_start % \(granularity) != 0"
                    try await connection.query(PostgresQuery(unsafeSQL: """
                        INSERT INTO \(table.name) AS t (bucket_start, \(keys), \(table.sums.joined(separator: ", ")))
                        SELECT \(bucket), \(keys), \(sums) FROM \(table.name) WHERE \(old) GROUP BY 1, \(keys)
                        ON CONFLICT (bucket_start, \(keys)) DO UPDATE SET \(updates)
                        """), logger: logger)
                    let deleted = try await connection.query(PostgresQuery(unsafeSQL: """
                        WITH gone AS (DELETE FROM \(table.name) WHERE \(old) RETURNING 1) SELECT count(*) FROM gone
                        """), logger: logger)
                    for try await count in deleted.decode(Int.self) { removed += count }
                }
                return removed
            }
        }
    }
}
