import Testing
@testable import Store

@Suite struct IndexScanTests {
    /// Sums what a scan borrowed, to check the columns without copying rows.
    struct Totals: IndexScanner {
        var ids: [Int64] = []
        var withContext = 0
        var embeddingBytes = 0
        var keyBytes = 0

        mutating func visit(_ row: borrowing IndexRowView) {
            ids.append(row.id)
            if row.contextKey != nil { withContext += 1 }
            embeddingBytes += row.embedding?.count ?? 0
            keyBytes += row.key.count
        }
    }

    @Test func countsPerContextAndAScanSeeEveryEntry() async throws {
        let store = try await CacheStore.open(path: CacheStoreTests.temporaryPath())
        var ids: [Int64] = []
        for key in UInt8(1)...3 { ids.append(try await store.insert(CacheStoreTests.entry(key: key))) }
        var other = CacheStoreTests.entry(key: 4)
        other.contextKey = Array(repeating: 9, count: 32)
        ids.append(try await store.insert(other))
        var bare = CacheStoreTests.entry(key: 5)
        bare.contextKey = nil
        bare.embedding = nil
        ids.append(try await store.insert(bare))

        let counts = try await store.entryCountsByContext()
        #expect(Set(counts.map { "\($0.contextKey?.first.map(String.init) ?? "none"):\($0.entries)" }) == ["7:3", "9:1", "none:1"])

        let totals = try await store.scanIndex(into: Totals())
        #expect(totals.ids == ids)
        #expect(totals.withContext == 4)
        #expect(totals.embeddingBytes == 4 * 2 * MemoryLayout<Float>.size)
        #expect(totals.keyBytes == 5 * 32)
        let rows = try await store.loadIndex()
        #expect(rows.map(\.id) == ids)
        #expect(rows.last?.embedding == nil && rows.first?.embedding == [0.6, 0.8])
    }
}
