import Foundation
import Testing
import TestSupport
@testable import Store

@Suite struct CacheStoreTests {
    @Test func entriesSurviveReopening() async throws {
        let path = StoreFixtures.temporaryPath()
        var ids: [Int64] = []
        do {
            let store = try await CacheStore.open(path: path)
            for key in UInt8(1)...5 { ids.append(try await store.insert(StoreFixtures.entry(key: key))) }
        }
        let reopened = try await CacheStore.open(path: path)
        let rows = try await reopened.loadIndex()
        #expect(Set(rows.map(\.id)) == Set(ids))
        #expect(rows.allSatisfy { $0.embedding == [0.6, 0.8] && $0.sizeBytes > 0 })
        #expect(try await reopened.integrityCheck() == "ok")
    }

    @Test func aFileThatIsNotADatabaseFailsAtOpenWithItsPath() async throws {
        let path = StoreFixtures.temporaryPath()
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        await #expect {
            _ = try await CacheStore.open(path: path)
        } throws: { error in
            String(describing: error).contains(path)
        }
    }

    @Test func aNewerSchemaIsRefused() async throws {
        let path = StoreFixtures.temporaryPath()
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
