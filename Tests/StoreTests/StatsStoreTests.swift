import Foundation
import Testing
import TestSupport
@testable import Store

@Suite struct StatsStoreTests {
    @Test func statsSurviveReopening() async throws {
        let path = StoreFixtures.temporaryPath()
        do {
            let store = try await CacheStore.open(path: path)
            try await store.addStats(StatsBatch(requests: [StoreFixtures.statsRow(60, "miss", requests: 4)]))
        }
        let reopened = try await CacheStore.openReadOnly(path: path)
        #expect(try await reopened.statsTotals(since: 0).requests.first?.requests == 4)
        await #expect(throws: StoreError.self) { try await reopened.addStats(StatsBatch(requests: [StoreFixtures.statsRow(60, "miss")])) }
    }

    @Test func aVersionOneFileIsMigrated() async throws {
        let path = StoreFixtures.temporaryPath()
        do {
            let connection = try SQLiteConnection(path: path)
            try connection.execute(Schema.migrations[0])
            try connection.execute("PRAGMA user_version = 1")
        }
        await #expect(throws: StoreError.self) { try await CacheStore.openReadOnly(path: path) }
        let store = try await CacheStore.open(path: path)
        try await store.addStats(StatsBatch(requests: [StoreFixtures.statsRow(60, "miss")]))
        #expect(try await store.statsTotals(since: 0).requests.count == 1)
    }
}
