import Foundation
import SemanticCache
import Store
import Synchronization
import Testing
import TestSupport

/// A SQLite store whose inserts fail while ``failing`` is set: a shared database that is down.
final class FlakyStore: CacheStoring {
    let inner: CacheStore
    let failing = Atomic<Bool>(false)

    init(_ inner: CacheStore) { self.inner = inner }

    var location: String { inner.location }

    private func failIfDown() throws(StoreError) {
        if failing.load(ordering: .relaxed) { throw StoreError.database("the database is down", location: location) }
    }

    func insert(_ entry: NewEntry) async throws(StoreError) -> Int64 {
        try failIfDown()
        return try await inner.insert(entry)
    }
    func insert(_ entries: [NewEntry]) async throws(StoreError) -> [Int64] {
        try failIfDown()
        return try await inner.insert(entries)
    }
    func setEmbedding(id: Int64, embedding: [Float], embedderID: String) async throws(StoreError) {
        try await inner.setEmbedding(id: id, embedding: embedding, embedderID: embedderID)
    }
    func entry(id: Int64) async throws(StoreError) -> StoredEntry? { try await inner.entry(id: id) }
    func addHits(_ counts: [HitCount]) async throws(StoreError) { try await inner.addHits(counts) }
    func delete(ids: [Int64]) async throws(StoreError) -> Int { try await inner.delete(ids: ids) }
    func deleteExpired(before time: Double) async throws(StoreError) -> [Int64] { try await inner.deleteExpired(before: time) }
    func entrySummaries(_ filter: EntryFilter, order: EntryOrder, limit: Int) async throws(StoreError) -> [EntrySummary] {
        try await inner.entrySummaries(filter, order: order, limit: limit)
    }
    func entryIDs(matching filter: EntryFilter) async throws(StoreError) -> [Int64] { try await inner.entryIDs(matching: filter) }
    func entries(afterID: Int64, limit: Int) async throws(StoreError) -> [StoredEntry] { try await inner.entries(afterID: afterID, limit: limit) }
    func size() async throws(StoreError) -> (entries: Int, bytes: Int) { try await inner.size() }
    func scanIndex<Scanner: IndexScanner>(into scanner: Scanner) async throws(StoreError) -> Scanner { try await inner.scanIndex(into: scanner) }
    func entryCountsByContext() async throws(StoreError) -> [ContextEntryCount] { try await inner.entryCountsByContext() }
    func addStats(_ batch: StatsBatch) async throws(StoreError) { try await inner.addStats(batch) }
    func statsTotals(since: Int64) async throws(StoreError) -> StatsBatch { try await inner.statsTotals(since: since) }
    func statsSeries(since: Int64, step: Int64) async throws(StoreError) -> [StatsRequestRow] { try await inner.statsSeries(since: since, step: step) }
    func firstStatsBucket() async throws(StoreError) -> Int64? { try await inner.firstStatsBucket() }
    func claimMaintenance(holder: String, lease: Duration) async throws(StoreError) -> Bool { true }
    func setting(_ name: String) async throws(StoreError) -> String? { try await inner.setting(name) }
    func setSetting(_ name: String, to value: String) async throws(StoreError) { try await inner.setSetting(name, to: value) }
    func isEmpty() async throws(StoreError) -> Bool { try await inner.isEmpty() }
    func compactStats(before cutoff: Int64, granularity: Int64) async throws(StoreError) -> Int {
        try await inner.compactStats(before: cutoff, granularity: granularity)
    }
}

@Suite struct WriteBacklogTests {
    @Test func answersMissedWhileTheStoreIsDownAnswerFromMemoryAndAreWrittenWhenItIsBack() async throws {
        let store = FlakyStore(try await CacheStore.open(path: StoreFixtures.temporaryPath()))
        try await Harness.with(configure: { $0.storeOpener = { store } }) { harness in
            store.failing.store(true, ordering: .relaxed)
            #expect(try await harness.post("/v1/chat/completions", json: Harness.chat("asked while the store is down")).header("x-semcache") == "miss")
            let again = try await harness.post("/v1/chat/completions", json: Harness.chat("asked while the store is down"))
            #expect(again.header("x-semcache") == "hit-exact")
            #expect(try await store.inner.size().entries == 0)

            store.failing.store(false, ordering: .relaxed)
            var written = 0
            for _ in 0..<50 where written == 0 {
                try await Task.sleep(for: .milliseconds(100))
                written = try await store.inner.size().entries
            }
            #expect(written == 1)
            #expect(harness.mock.requestCount(path: "/v1/chat/completions") == 1)
        }
    }
}
