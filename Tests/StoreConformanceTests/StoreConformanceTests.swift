import Store
import Testing
import TestSupport

/// What every ``CacheStoring`` implementation must do, run against each backend.
@Suite(.postgresCluster) struct StoreConformanceTests {
    @Test(arguments: StoreBackend.allCases)
    func insertThenReadBackEveryField(_ backend: StoreBackend) async throws {
        let store = try await backend.open()
        let id = try await store.insert(StoreFixtures.entry(key: 1))
        let stored = try #require(try await store.entry(id: id))
        #expect(stored.entry.key == Array(repeating: 1, count: 32))
        #expect(stored.entry.contextKey == Array(repeating: 7, count: 32))
        #expect(stored.entry.prompt == "hello" && stored.entry.model == "gpt-4o-mini")
        #expect(stored.entry.embedding == [0.6, 0.8] && stored.entry.embedderID == "test")
        #expect(stored.entry.response == Array("{\"ok\":1}".utf8))
        #expect(stored.entry.responseKind == .json && stored.entry.status == 200 && stored.entry.contentType == "application/json")
        #expect(stored.entry.promptTokens == 12 && stored.entry.completionTokens == 30)
        #expect(stored.entry.upstreamMilliseconds == 812.5)
        #expect(stored.entry.createdAt == 1_700_000_000 && stored.entry.expiresAt == 2_000_000_000)
        #expect(stored.hits == 0 && stored.lastHitAt == nil)
        #expect(try await store.entry(id: id + 100) == nil)
    }

    @Test(arguments: StoreBackend.allCases)
    func sameKeyReplacesAndKeepsTheId(_ backend: StoreBackend) async throws {
        let store = try await backend.open()
        let first = try await store.insert(StoreFixtures.entry(key: 1, prompt: "one"))
        let second = try await store.insert(StoreFixtures.entry(key: 1, prompt: "two"))
        #expect(first == second)
        #expect(try await store.entry(id: first)?.entry.prompt == "two")
        #expect(try await store.loadIndex().count == 1)
    }

    /// The in-memory indexes and the hit counts name entries by id: an id is never given twice, even
    /// once its entry (the newest one) is gone.
    @Test(arguments: StoreBackend.allCases)
    func anIDIsNeverGivenAgainAfterItsEntryIsDeleted(_ backend: StoreBackend) async throws {
        let store = try await backend.open()
        var expired = StoreFixtures.entry(key: 1)
        expired.expiresAt = 1_000
        let first = try await store.insert(expired)
        #expect(try await store.deleteExpired(before: 2_000) == [first])
        let second = try await store.insert(StoreFixtures.entry(key: 2))
        #expect(second > first)
        #expect(try await store.delete(ids: [second]) == 1)
        let batch = try await store.insert([StoreFixtures.entry(key: 3), StoreFixtures.entry(key: 4)])
        #expect(batch.allSatisfy { $0 > second })
    }

    @Test(arguments: StoreBackend.allCases)
    func aBatchIsStoredInOrderAndAnEmbeddingSetLater(_ backend: StoreBackend) async throws {
        let store = try await backend.open()
        var bare = StoreFixtures.entry(key: 3)
        bare.embedding = nil
        bare.embedderID = nil
        let ids = try await store.insert([StoreFixtures.entry(key: 1), StoreFixtures.entry(key: 2), bare])
        #expect(ids.count == 3 && Set(ids).count == 3)
        #expect(try await store.entry(id: ids[1])?.entry.key == Array(repeating: 2, count: 32))
        #expect(try await store.entry(id: ids[2])?.entry.embedding == nil)
        try await store.setEmbedding(id: ids[2], embedding: [1, 0, 0], embedderID: "later")
        let embedded = try #require(try await store.entry(id: ids[2]))
        #expect(embedded.entry.embedding == [1, 0, 0] && embedded.entry.embedderID == "later")
        #expect(try await store.insert([]) == [])
    }

    @Test(arguments: StoreBackend.allCases)
    func concurrentWritesAreAllCommitted(_ backend: StoreBackend) async throws {
        let store = try await backend.open()
        try await withThrowingTaskGroup(of: Int64.self) { group in
            for key in UInt8(0)..<200 { group.addTask { try await store.insert(StoreFixtures.entry(key: key)) } }
            var ids = Set<Int64>()
            for try await id in group { ids.insert(id) }
            #expect(ids.count == 200)
        }
        #expect(try await store.loadIndex().count == 200)
    }

    @Test(arguments: StoreBackend.allCases)
    func hitsDeletesAndExpiry(_ backend: StoreBackend) async throws {
        let store = try await backend.open()
        let live = try await store.insert(StoreFixtures.entry(key: 1))
        let expired = try await store.insert(StoreFixtures.entry(key: 2, expiresAt: 1_000))
        let doomed = try await store.insert(StoreFixtures.entry(key: 3))
        try await store.addHits([HitCount(id: live, count: 2, lastAt: 1_800_000_000), HitCount(id: 999, count: 1, lastAt: 1)])
        #expect(try await store.entry(id: live)?.hits == 2)
        #expect(try await store.entry(id: live)?.lastHitAt == 1_800_000_000)
        #expect(try await store.deleteExpired(before: 1_700_000_001) == [expired])
        #expect(try await store.delete(ids: [doomed, 999]) == 1)
        #expect(try await store.loadIndex().map(\.id) == [live])
    }

    /// Sums what a scan borrowed, to check the columns without copying rows.
    struct ScanTotals: IndexScanner {
        var ids: [Int64] = []
        var withContext = 0
        var embeddingBytes = 0
        var keyBytes = 0
        var sizeBytes = 0

        mutating func visit(_ row: borrowing IndexRowView) {
            ids.append(row.id)
            if row.contextKey != nil { withContext += 1 }
            embeddingBytes += row.embedding?.count ?? 0
            keyBytes += row.key.count
            sizeBytes += row.sizeBytes
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func countsPerContextAndAScanSeeEveryEntry(_ backend: StoreBackend) async throws {
        let store = try await backend.open()
        var ids: [Int64] = []
        for key in UInt8(1)...3 { ids.append(try await store.insert(StoreFixtures.entry(key: key))) }
        var other = StoreFixtures.entry(key: 4)
        other.contextKey = Array(repeating: 9, count: 32)
        ids.append(try await store.insert(other))
        var bare = StoreFixtures.entry(key: 5)
        bare.contextKey = nil
        bare.embedding = nil
        ids.append(try await store.insert(bare))

        let counts = try await store.entryCountsByContext()
        #expect(Set(counts.map { "\($0.contextKey?.first.map(String.init) ?? "none"):\($0.entries)" }) == ["7:3", "9:1", "none:1"])

        let totals = try await store.scanIndex(into: ScanTotals())
        #expect(totals.ids.sorted() == ids)
        #expect(totals.withContext == 4)
        #expect(totals.embeddingBytes == 4 * 2 * MemoryLayout<Float>.size)
        #expect(totals.keyBytes == 5 * 32)
        #expect(totals.sizeBytes == (try await store.size()).bytes)
        let rows = try await store.loadIndex().sorted { $0.id < $1.id }
        #expect(rows.map(\.id) == ids)
        #expect(rows.last?.embedding == nil && rows.first?.embedding == [0.6, 0.8])
        #expect(rows.first?.embedderID == "test" && rows.first?.createdAt == 1_700_000_000)
    }
}
