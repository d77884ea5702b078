/// Statistics: rows are added to one-minute buckets and read back summed over a window; old
/// buckets are merged into coarser ones (``compactStats(before:granularity:)``).
extension CacheStore {
    /// Adds every row of `batch` to its bucket (creating the bucket when needed), in one write.
    public func addStats(_ batch: StatsBatch) async throws(StoreError) {
        guard !batch.isEmpty else { return }
        try await writer.write { connection throws(StoreError) in
            let requests = try connection.cachedStatement(
                """
                INSERT INTO stats_buckets (bucket_start, endpoint, model, result, detail, requests, prompt_tokens_saved,
                    completion_tokens_saved, cost_saved_usd, upstream_ms_saved)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET requests = requests + excluded.requests,
                    prompt_tokens_saved = prompt_tokens_saved + excluded.prompt_tokens_saved,
                    completion_tokens_saved = completion_tokens_saved + excluded.completion_tokens_saved,
                    cost_saved_usd = cost_saved_usd + excluded.cost_saved_usd,
                    upstream_ms_saved = upstream_ms_saved + excluded.upstream_ms_saved
                """)
            for row in batch.requests {
                requests.reset()
                try requests.bind(
                    .integer(row.bucketStart), .text(row.endpoint), .text(row.model), .text(row.result), .text(row.detail),
                    .integer(Int64(row.requests)), .integer(Int64(row.promptTokensSaved)), .integer(Int64(row.completionTokensSaved)),
                    .real(row.costSavedUSD), .real(row.upstreamMillisecondsSaved)
                ).run()
            }
            let counters = try connection.cachedStatement(
                "INSERT INTO stats_counters (bucket_start, name, value) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET value = value + excluded.value")
            for row in batch.counters {
                counters.reset()
                try counters.bind(.integer(row.bucketStart), .text(row.name), .real(row.value)).run()
            }
            let latency = try connection.cachedStatement(
                """
                INSERT INTO stats_latency (bucket_start, name, le_ms, count, sum_ms) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET count = count + excluded.count, sum_ms = sum_ms + excluded.sum_ms
                """)
            for row in batch.latency {
                latency.reset()
                try latency.bind(
                    .integer(row.bucketStart), .text(row.name), .real(row.upperBoundMilliseconds),
                    .integer(Int64(row.count)), .real(row.sumMilliseconds)
                ).run()
            }
        }
    }

    /// Everything recorded from `since` (unix seconds, inclusive), summed per endpoint, model,
    /// result and detail; each row's `bucketStart` is `since`.
    public func statsTotals(since: Int64) async throws(StoreError) -> StatsBatch {
        try await reader.read { connection throws(StoreError) in
            var batch = StatsBatch()
            let requests = try connection.cachedStatement(
                """
                SELECT endpoint, model, result, detail, sum(requests), sum(prompt_tokens_saved), sum(completion_tokens_saved),
                    sum(cost_saved_usd), sum(upstream_ms_saved)
                FROM stats_buckets WHERE bucket_start >= ? GROUP BY endpoint, model, result, detail
                """)
            try requests.bind(.integer(since))
            while try requests.step() {
                batch.requests.append(StatsRequestRow(
                    bucketStart: since, endpoint: requests.text(0) ?? "", model: requests.text(1) ?? "",
                    result: requests.text(2) ?? "", detail: requests.text(3) ?? "", requests: requests.int(4),
                    promptTokensSaved: requests.int(5), completionTokensSaved: requests.int(6),
                    costSavedUSD: requests.double(7), upstreamMillisecondsSaved: requests.double(8)))
            }
            requests.reset()
            let counters = try connection.cachedStatement(
                "SELECT name, sum(value) FROM stats_counters WHERE bucket_start >= ? GROUP BY name")
            try counters.bind(.integer(since))
            while try counters.step() {
                batch.counters.append(StatsCounterRow(bucketStart: since, name: counters.text(0) ?? "", value: counters.double(1)))
            }
            counters.reset()
            let latency = try connection.cachedStatement(
                "SELECT name, le_ms, sum(count), sum(sum_ms) FROM stats_latency WHERE bucket_start >= ? GROUP BY name, le_ms")
            try latency.bind(.integer(since))
            while try latency.step() {
                batch.latency.append(StatsLatencyRow(
                    bucketStart: since, name: latency.text(0) ?? "", upperBoundMilliseconds: latency.double(1),
                    count: latency.int(2), sumMilliseconds: latency.double(3)))
            }
            latency.reset()
            return batch
        }
    }

    /// Requests from `since` summed per `step` seconds and result: one row per step that has
    /// any, `bucketStart` being the step's start (a multiple of `step`); endpoint, model and detail empty.
    public func statsSeries(since: Int64, step: Int64) async throws(StoreError) -> [StatsRequestRow] {
        let step = max(60, step)
        return try await reader.read { connection throws(StoreError) in
            let statement = try connection.cachedStatement(
                """
                SELECT (bucket_start / ?1) * ?1 AS step_start, result, sum(requests), sum(prompt_tokens_saved),
                    sum(completion_tokens_saved), sum(cost_saved_usd), sum(upstream_ms_saved)
                FROM stats_buckets WHERE bucket_start >= ?2 GROUP BY step_start, result ORDER BY step_start
                """)
            try statement.bind(.integer(step), .integer(since))
            var rows: [StatsRequestRow] = []
            while try statement.step() {
                rows.append(StatsRequestRow(
                    bucketStart: statement.int64(0), endpoint: "", model: "", result: statement.text(1) ?? "", detail: "",
                    requests: statement.int(2), promptTokensSaved: statement.int(3), completionTokensSaved: statement.int(4),
                    costSavedUSD: statement.double(5), upstreamMillisecondsSaved: statement.double(6)))
            }
            statement.reset()
            return rows
        }
    }

    /// The earliest bucket holding statistics, or nil when there are none.
    public func firstStatsBucket() async throws(StoreError) -> Int64? {
        try await reader.read { connection throws(StoreError) in
            let statement = try connection.cachedStatement("SELECT min(bucket_start) FROM stats_buckets")
            defer { statement.reset() }
            return try statement.step() && !statement.isNull(0) ? statement.int64(0) : nil
        }
    }

    /// Merges every bucket that starts before `cutoff` into the bucket of `granularity` seconds
    /// that contains it (hours: 3600), summing its rows, so old statistics take one row per hour or
    /// day instead of one per minute. Totals over any window that starts on a `granularity`
    /// boundary stay the same. Returns how many rows it removed.
    @discardableResult
    public func compactStats(before cutoff: Int64, granularity: Int64) async throws(StoreError) -> Int {
        precondition(granularity >= 60, "buckets are at least a minute")
        return try await writer.write { connection throws(StoreError) in
            var removed = 0
            for table in StatsTables.all {
                let keys = table.keys.joined(separator: ", ")
                let sums = table.sums.map { "sum(\($0))" }.joined(separator: ", ")
                let updates = table.sums.map { "\($0) = \($0) + excluded.\($0)" }.joined(separator: ", ")
                let merge = try connection.prepare(
                    """
                    INSERT INTO \(table.name) (bucket_start, \(keys), \(table.sums.joined(separator: ", ")))
                    SELECT (bucket_start / ?1) * ?1, \(keys), \(sums) FROM \(table.name)
                    WHERE bucket_start < ?2 AND bucket_start % ?1 != 0 GROUP BY 1, \(keys)
                    ON CONFLICT DO UPDATE SET \(updates)
                    """)
                try merge.bind(.integer(granularity), .integer(cutoff)).run()
                let delete = try connection.prepare("DELETE FROM \(table.name) WHERE bucket_start < ?2 AND bucket_start % ?1 != 0")
                try delete.bind(.integer(granularity), .integer(cutoff)).run()
                removed += connection.changes
            }
            return removed
        }
    }
}
