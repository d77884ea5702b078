import Foundation
import Testing
@testable import Store

@Suite struct StatsStoreTests {
    static func row(_ bucket: Int64, _ result: String, model: String = "m", requests: Int = 1, tokens: Int = 0) -> StatsRequestRow {
        StatsRequestRow(bucketStart: bucket, endpoint: "/v1/chat/completions", model: model, result: result, detail: "",
                        requests: requests, promptTokensSaved: tokens, costSavedUSD: Double(tokens) / 1000)
    }

    @Test func rowsAddUpInTheirBucketsAndWindowsSumThem() async throws {
        let store = try await CacheStore.open(path: CacheStoreTests.temporaryPath())
        try await store.addStats(StatsBatch(
            requests: [Self.row(60, "hit_exact", tokens: 10), Self.row(120, "miss")],
            counters: [StatsCounterRow(bucketStart: 60, name: "errors_store", value: 1)],
            latency: [StatsLatencyRow(bucketStart: 60, name: "hit", upperBoundMilliseconds: 0.5, count: 2, sumMilliseconds: 0.6),
                      StatsLatencyRow(bucketStart: 60, name: "hit", upperBoundMilliseconds: .infinity, count: 1, sumMilliseconds: 20_000)]))
        try await store.addStats(StatsBatch(
            requests: [Self.row(60, "hit_exact", requests: 2, tokens: 5)],
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
    @Test func oldBucketsAreMergedIntoCoarserOnes() async throws {
        let store = try await CacheStore.open(path: CacheStoreTests.temporaryPath())
        var batch = StatsBatch()
        for minute in Int64(0)..<200 {
            let start = 86_400 + minute * 60
            batch.requests.append(Self.row(start, minute % 3 == 0 ? "miss" : "hit_exact", tokens: Int(minute)))
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

    @Test func statsSurviveReopening() async throws {
        let path = CacheStoreTests.temporaryPath()
        do {
            let store = try await CacheStore.open(path: path)
            try await store.addStats(StatsBatch(requests: [Self.row(60, "miss", requests: 4)]))
        }
        let reopened = try await CacheStore.openReadOnly(path: path)
        #expect(try await reopened.statsTotals(since: 0).requests.first?.requests == 4)
        await #expect(throws: StoreError.self) { try await reopened.addStats(StatsBatch(requests: [Self.row(60, "miss")])) }
    }

    @Test func aVersionOneFileIsMigrated() async throws {
        let path = CacheStoreTests.temporaryPath()
        do {
            let connection = try SQLiteConnection(path: path)
            try connection.execute(Schema.migrations[0])
            try connection.execute("PRAGMA user_version = 1")
        }
        await #expect(throws: StoreError.self) { try await CacheStore.openReadOnly(path: path) }
        let store = try await CacheStore.open(path: path)
        try await store.addStats(StatsBatch(requests: [Self.row(60, "miss")]))
        #expect(try await store.statsTotals(since: 0).requests.count == 1)
    }
}

@Suite struct EntryQueryTests {
    static func filled() async throws -> (CacheStore, [Int64]) {
        let store = try await CacheStore.open(path: CacheStoreTests.temporaryPath())
        var ids: [Int64] = []
        for key in UInt8(1)...4 {
            var entry = CacheStoreTests.entry(key: key, prompt: "prompt \(key)")
            entry.model = key % 2 == 0 ? "gpt-4o" : "gpt-4o-mini"
            entry.namespace = key == 4 ? "team-a" : ""
            entry.createdAt = 1_700_000_000 + Double(key) * 100
            ids.append(try await store.insert(entry))
        }
        try await store.addHits([HitCount(id: ids[2], count: 2, lastAt: 1_700_001_000), HitCount(id: ids[0], count: 1, lastAt: 1_700_001_000)])
        return (store, ids)
    }

    @Test func filtersSelectTheMatchingEntries() async throws {
        let (store, ids) = try await Self.filled()
        #expect(try await store.entryIDs(matching: EntryFilter()) == ids)
        #expect(try await store.entryIDs(matching: EntryFilter(model: "gpt-4o")) == [ids[1], ids[3]])
        #expect(try await store.entryIDs(matching: EntryFilter(model: "gpt-4o", namespace: "")) == [ids[1]])
        #expect(try await store.entryIDs(matching: EntryFilter(ids: [ids[0], ids[3], 999])) == [ids[0], ids[3]])
        #expect(try await store.entryIDs(matching: EntryFilter(createdBefore: 1_700_000_250)) == [ids[0], ids[1]])
        #expect(try await store.entryIDs(matching: EntryFilter(ids: [])) == [])
    }

    @Test func summariesAreOrderedAndLimited() async throws {
        let (store, ids) = try await Self.filled()
        let newest = try await store.entrySummaries(EntryFilter(), order: .newest, limit: 2)
        #expect(newest.map(\.id) == [ids[3], ids[2]])
        let byHits = try await store.entrySummaries(EntryFilter(), order: .hits, limit: 10)
        #expect(byHits.prefix(2).map(\.id) == [ids[2], ids[0]])
        #expect(byHits.first?.hits == 2 && byHits.first?.promptPreview == "prompt 3")
        let size = try await store.size()
        #expect(size.entries == 4 && size.bytes == byHits.reduce(0) { $0 + $1.sizeBytes })
    }

    @Test func pagesCoverEveryEntryOnce() async throws {
        let (store, ids) = try await Self.filled()
        var seen: [Int64] = []
        var last: Int64 = 0
        while true {
            let page = try await store.entries(afterID: last, limit: 3)
            guard let tail = page.last else { break }
            seen += page.map(\.id)
            last = tail.id
        }
        #expect(seen == ids)
    }
}
