import Store
import Testing
import TestSupport

/// Statistics buckets, windows, series and compaction, against each backend.
@Suite(.postgresCluster) struct StatsConformanceTests {
    @Test(arguments: StoreBackend.allCases)
    func rowsAddUpInTheirBucketsAndWindowsSumThem(_ backend: StoreBackend) async throws {
        let store = try await backend.open()
        #expect(try await store.firstStatsBucket() == nil)
        try await store.addStats(StatsBatch(
            requests: [StoreFixtures.statsRow(60, "hit_exact", tokens: 10), StoreFixtures.statsRow(120, "miss")],
            counters: [StatsCounterRow(bucketStart: 60, name: "errors_store", value: 1)],
            latency: [StatsLatencyRow(bucketStart: 60, name: "hit", upperBoundMilliseconds: 0.5, count: 2, sumMilliseconds: 0.6),
                      StatsLatencyRow(bucketStart: 60, name: "hit", upperBoundMilliseconds: .infinity, count: 1, sumMilliseconds: 20_000)]))
        try await store.addStats(StatsBatch(
            requests: [StoreFixtures.statsRow(60, "hit_exact", requests: 2, tokens: 5)],
            counters: [StatsCounterRow(bucketStart: 120, name: "errors_store", value: 2)],
            latency: [StatsLatencyRow(bucketStart: 120, name: "hit", upperBoundMilliseconds: 0.5, count: 1, sumMilliseconds: 0.4)]))

        let all = try await store.statsTotals(since: 0)
        let hits = try #require(all.requests.first { $0.result == "hit_exact" })
        #expect(hits.requests == 3 && hits.promptTokensSaved == 15 && abs(hits.costSavedUSD - 0.015) < 1e-12)
        #expect(all.counters == [StatsCounterRow(bucketStart: 0, name: "errors_store", value: 3)])
        let bounded = try #require(all.latency.first { $0.upperBoundMilliseconds == 0.5 })
        #expect(bounded.count == 3 && abs(bounded.sumMilliseconds - 1.0) < 1e-12)
        #expect(all.latency.contains { $0.upperBoundMilliseconds.isInfinite && $0.count == 1 })

        let recent = try await store.statsTotals(since: 120)
        #expect(recent.requests.map(\.result) == ["miss"])
        #expect(recent.counters.first?.value == 2)

        let series = try await store.statsSeries(since: 0, step: 120)
        #expect(series.map { "\($0.bucketStart) \($0.result) \($0.requests)" }.sorted() == ["0 hit_exact 3", "120 miss 1"])
        #expect(try await store.firstStatsBucket() == 60)
    }

    /// Three hours of minute buckets (and latency and counter rows) merged per hour: the same totals
    /// over the whole range and over each hour, one row per hour, newer buckets untouched.
    @Test(arguments: StoreBackend.allCases)
    func oldBucketsAreMergedIntoCoarserOnes(_ backend: StoreBackend) async throws {
        let store = try await backend.open()
        var batch = StatsBatch()
        for minute in Int64(0)..<200 {
            let start = 86_400 + minute * 60
            batch.requests.append(StoreFixtures.statsRow(start, minute % 3 == 0 ? "miss" : "hit_exact", tokens: Int(minute)))
            batch.counters.append(StatsCounterRow(bucketStart: start, name: "errors_upstream", value: 1))
            batch.latency.append(StatsLatencyRow(bucketStart: start, name: "hit", upperBoundMilliseconds: 0.5, count: 1, sumMilliseconds: 0.25))
        }
        try await store.addStats(batch)
        let before = try await store.statsTotals(since: 0)
        let hourlyBefore = try await store.statsSeries(since: 0, step: 3600)

        let cutoff: Int64 = 86_400 + 3 * 3600  // minutes 180..<200 stay as they are
        let removed = try await store.compactStats(before: cutoff, granularity: 3600)
        #expect(removed == 3 * 177)  // per table, the 180 minute rows before the cutoff but the 3 that start an hour
        let after = try await store.statsTotals(since: 0)
        #expect(Set(after.requests.map { "\($0.result) \($0.requests) \($0.promptTokensSaved)" })
            == Set(before.requests.map { "\($0.result) \($0.requests) \($0.promptTokensSaved)" }))
        #expect(after.counters == before.counters)
        #expect(after.latency == before.latency)
        #expect(try await store.statsSeries(since: 0, step: 3600).map(\.requests) == hourlyBefore.map(\.requests))
        #expect(try await store.statsSeries(since: 0, step: 60).map(\.bucketStart).filter { $0 < cutoff }.allSatisfy { $0 % 3600 == 0 })
        #expect(try await store.statsTotals(since: cutoff).requests.map(\.requests).reduce(0, +) == 20)
        #expect(try await store.compactStats(before: cutoff, granularity: 3600) == 0)  // nothing left to merge
    }
}
