import Foundation
import Testing
@testable import Store

@Suite struct CacheStoreTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("semcache-store-\(UUID().uuidString).db").path
    }

    static func entry(key: UInt8, prompt: String = "hello", expiresAt: Double = 2_000_000_000) -> NewEntry {
        NewEntry(
            key: Array(repeating: key, count: 32), contextKey: Array(repeating: 7, count: 32),
            endpoint: "/v1/chat/completions", model: "gpt-4o-mini", namespace: "", prompt: prompt,
            embedding: [0.6, 0.8], embedderID: "test", response: Array("{\"ok\":\(key)}".utf8),
            responseKind: .json, status: 200, contentType: "application/json", promptTokens: 12,
            completionTokens: 30, upstreamMilliseconds: 812.5, createdAt: 1_700_000_000, expiresAt: expiresAt)
    }

    @Test func insertThenReadBackEveryField() async throws {
        let store = try await CacheStore.open(path: Self.temporaryPath())
        let id = try await store.insert(Self.entry(key: 1))
        let stored = try #require(try await store.entry(id: id))
        #expect(stored.entry.key == Array(repeating: 1, count: 32))
        #expect(stored.entry.prompt == "hello")
        #expect(stored.entry.embedding == [0.6, 0.8])
        #expect(stored.entry.response == Array("{\"ok\":1}".utf8))
        #expect(stored.entry.promptTokens == 12 && stored.entry.completionTokens == 30)
        #expect(stored.entry.upstreamMilliseconds == 812.5)
        #expect(stored.hits == 0 && stored.lastHitAt == nil)
        #expect(try await store.entry(id: id + 100) == nil)
    }

    @Test func sameKeyReplacesAndKeepsTheId() async throws {
        let store = try await CacheStore.open(path: Self.temporaryPath())
        let first = try await store.insert(Self.entry(key: 1, prompt: "one"))
        let second = try await store.insert(Self.entry(key: 1, prompt: "two"))
        #expect(first == second)
        #expect(try await store.entry(id: first)?.entry.prompt == "two")
        #expect(try await store.loadIndex().count == 1)
    }

    @Test func entriesSurviveReopening() async throws {
        let path = Self.temporaryPath()
        var ids: [Int64] = []
        do {
            let store = try await CacheStore.open(path: path)
            for key in UInt8(1)...5 { ids.append(try await store.insert(Self.entry(key: key))) }
        }
        let reopened = try await CacheStore.open(path: path)
        let rows = try await reopened.loadIndex()
        #expect(Set(rows.map(\.id)) == Set(ids))
        #expect(rows.allSatisfy { $0.embedding == [0.6, 0.8] && $0.sizeBytes > 0 })
        #expect(try await reopened.integrityCheck() == "ok")
    }

    @Test func concurrentWritesAreAllCommitted() async throws {
        let store = try await CacheStore.open(path: Self.temporaryPath())
        try await withThrowingTaskGroup(of: Int64.self) { group in
            for key in UInt8(0)..<200 { group.addTask { try await store.insert(Self.entry(key: key)) } }
            var ids = Set<Int64>()
            for try await id in group { ids.insert(id) }
            #expect(ids.count == 200)
        }
        #expect(try await store.loadIndex().count == 200)
    }

    @Test func hitsDeletesAndExpiry() async throws {
        let store = try await CacheStore.open(path: Self.temporaryPath())
        let live = try await store.insert(Self.entry(key: 1))
        let expired = try await store.insert(Self.entry(key: 2, expiresAt: 1_000))
        let doomed = try await store.insert(Self.entry(key: 3))
        try await store.addHits([HitCount(id: live, count: 2, lastAt: 1_800_000_000)])
        #expect(try await store.entry(id: live)?.hits == 2)
        #expect(try await store.entry(id: live)?.lastHitAt == 1_800_000_000)
        #expect(try await store.deleteExpired(before: 1_700_000_001) == [expired])
        #expect(try await store.delete(ids: [doomed, 999]) == 1)
        #expect(try await store.loadIndex().map(\.id) == [live])
    }

    @Test func aFileThatIsNotADatabaseFailsAtOpenWithItsPath() async throws {
        let path = Self.temporaryPath()
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        await #expect {
            _ = try await CacheStore.open(path: path)
        } throws: { error in
            String(describing: error).contains(path)
        }
    }

    @Test func aNewerSchemaIsRefused() async throws {
        let path = Self.temporaryPath()
        _ = try await CacheStore.open(path: path)
        let connection = try SQLiteConnection(path: path)
        try connection.execute("PRAGMA user_version = 99")
        await #expect {
            _ = try await CacheStore.open(path: path)
        } throws: { error in
            String(describing: error).contains("schema version 99")
        }
    }

    @Test func anUnwritableDirectoryFailsAtOpen() async throws {
        await #expect(throws: StoreError.self) {
            _ = try await CacheStore.open(path: "/proc/semcache-cannot-write-here/cache.db")
        }
    }
}
