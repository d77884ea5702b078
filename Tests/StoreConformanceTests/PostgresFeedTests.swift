import PostgresStore
import Store
import Testing
import TestSupport

/// What only a store shared by a fleet does: the change feed and the maintenance lease.
@Suite(.postgresCluster) struct PostgresFeedTests {
    static func openTwice() async throws -> (PostgresCacheStore, PostgresCacheStore) {
        let location = try PostgresLocation(url: try PostgresTestCluster.required().freshDatabaseURL(), environment: [:])
        return (try await StoreBackend.openPostgres(location), try await StoreBackend.openPostgres(location))
    }

    @Test func theFeedCarriesStoresReplacementsEmbeddingsAndDeletionsOnce() async throws {
        let (writer, reader) = try await Self.openTwice()
        let start = try await reader.changeHorizon()
        let first = try await writer.insert(StoreFixtures.entry(key: 1))
        let second = try await writer.insert(StoreFixtures.entry(key: 2))
        let middle = try await reader.changeHorizon()
        let changes = try await reader.changes(after: start, upTo: middle)
        #expect(changes.upserted.map(\.id) == [first, second] && changes.deleted.isEmpty)
        #expect(changes.upserted.first?.embedding == [0.6, 0.8] && changes.upserted.first?.key == Array(repeating: 1, count: 32))

        try await writer.setEmbedding(id: second, embedding: [1, 0], embedderID: "other")
        try await writer.delete(ids: [first])
        let end = try await reader.changeHorizon()
        let later = try await reader.changes(after: middle, upTo: end)
        #expect(later.upserted.map(\.id) == [second] && later.upserted.first?.embedderID == "other")
        #expect(later.deleted == [first])
        let none = try await reader.changes(after: end, upTo: try await reader.changeHorizon())
        #expect(none.upserted.isEmpty && none.deleted.isEmpty)
        #expect(try await reader.allEntryIDs() == [second])
    }

    @Test func aNotificationWakesTheOtherStore() async throws {
        let (writer, reader) = try await Self.openTwice()
        var wakeUps = reader.wakeUps(pollInterval: .seconds(60)).makeAsyncIterator()
        #expect(await wakeUps.next() == .reconnected)
        _ = try await writer.insert(StoreFixtures.entry(key: 3))
        #expect(await wakeUps.next() == .notified)
    }

    @Test func oneHolderHasTheMaintenanceDutyUntilItsLeaseRunsOut() async throws {
        let (first, second) = try await Self.openTwice()
        // Held with a long lease while the other is refused, then renewed with a short one that
        // runs out: a loaded machine can only lengthen the sleep, never expire a lease too early.
        #expect(try await first.claimMaintenance(holder: "a", lease: .seconds(30)))
        #expect(try await !second.claimMaintenance(holder: "b", lease: .seconds(30)))
        #expect(try await first.claimMaintenance(holder: "a", lease: .milliseconds(200)))
        try await Task.sleep(for: .milliseconds(400))
        #expect(try await second.claimMaintenance(holder: "b", lease: .seconds(10)))
        #expect(try await !first.claimMaintenance(holder: "a", lease: .seconds(10)))
    }

    @Test func oldDeletionRecordsArePruned() async throws {
        let (store, _) = try await Self.openTwice()
        let id = try await store.insert(StoreFixtures.entry(key: 4))
        try await store.delete(ids: [id])
        #expect(try await store.pruneDeletions(olderThan: 3600) == 0)
        try await Task.sleep(for: .milliseconds(50))
        #expect(try await store.pruneDeletions(olderThan: 0.01) == 1)
    }
}
