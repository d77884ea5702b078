import Store
import Testing
import TestSupport

/// Listing, filtering and paging entries, against each backend.
@Suite(.postgresCluster) struct EntryQueryConformanceTests {
    static func filled(_ backend: StoreBackend) async throws -> (any CacheStoring, [Int64]) {
        let store = try await backend.open()
        var ids: [Int64] = []
        for key in UInt8(1)...4 {
            var entry = StoreFixtures.entry(key: key, prompt: "prompt \(key)")
            entry.model = key % 2 == 0 ? "gpt-4o" : "gpt-4o-mini"
            entry.namespace = key == 4 ? "team-a" : ""
            entry.createdAt = 1_700_000_000 + Double(key) * 100
            ids.append(try await store.insert(entry))
        }
        try await store.addHits([HitCount(id: ids[2], count: 2, lastAt: 1_700_001_000), HitCount(id: ids[0], count: 1, lastAt: 1_700_001_000)])
        return (store, ids)
    }

    @Test(arguments: StoreBackend.allCases)
    func filtersSelectTheMatchingEntries(_ backend: StoreBackend) async throws {
        let (store, ids) = try await Self.filled(backend)
        #expect(try await store.entryIDs(matching: EntryFilter()) == ids)
        #expect(try await store.entryIDs(matching: EntryFilter(model: "gpt-4o")) == [ids[1], ids[3]])
        #expect(try await store.entryIDs(matching: EntryFilter(model: "gpt-4o", namespace: "")) == [ids[1]])
        #expect(try await store.entryIDs(matching: EntryFilter(ids: [ids[0], ids[3], 999])) == [ids[0], ids[3]])
        #expect(try await store.entryIDs(matching: EntryFilter(createdBefore: 1_700_000_250)) == [ids[0], ids[1]])
        #expect(try await store.entryIDs(matching: EntryFilter(ids: [])) == [])
    }

    @Test(arguments: StoreBackend.allCases)
    func summariesAreOrderedAndLimited(_ backend: StoreBackend) async throws {
        let (store, ids) = try await Self.filled(backend)
        let newest = try await store.entrySummaries(EntryFilter(), order: .newest, limit: 2)
        #expect(newest.map(\.id) == [ids[3], ids[2]])
        let byHits = try await store.entrySummaries(EntryFilter(), order: .hits, limit: 10)
        #expect(byHits.prefix(2).map(\.id) == [ids[2], ids[0]])
        #expect(byHits.first?.hits == 2 && byHits.first?.promptPreview == "prompt 3")
        #expect(byHits.first?.namespace == "" && byHits.last?.endpoint == "/v1/chat/completions")
        let size = try await store.size()
        #expect(size.entries == 4 && size.bytes == byHits.reduce(0) { $0 + $1.sizeBytes })
    }

    @Test(arguments: StoreBackend.allCases)
    func pagesCoverEveryEntryOnce(_ backend: StoreBackend) async throws {
        let (store, ids) = try await Self.filled(backend)
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
