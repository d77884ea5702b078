import Testing
@testable import SemanticCache

@Suite struct PartitioningTests {
    @Test func aNewStoreTakesTheRequestedMode() {
        #expect(Partitioning.resolve(stored: nil, requested: .shared, follow: false, storeIsEmpty: true) == .success(.shared))
        #expect(Partitioning.resolve(stored: nil, requested: .perKey, follow: true, storeIsEmpty: true) == .success(.perKey))
    }

    @Test func aContradictionIsRefusedUnlessFollowedOrTheStoreIsEmpty() {
        #expect(Partitioning.resolve(stored: .shared, requested: .perKey, follow: false, storeIsEmpty: false) == .failure(PartitioningMismatch(stored: .shared)))
        #expect(Partitioning.resolve(stored: .perKey, requested: .shared, follow: false, storeIsEmpty: false) == .failure(PartitioningMismatch(stored: .perKey)))
        #expect(Partitioning.resolve(stored: .shared, requested: .perKey, follow: true, storeIsEmpty: false) == .success(.shared))
        #expect(Partitioning.resolve(stored: .shared, requested: .perKey, follow: true, storeIsEmpty: true) == .success(.shared))
        #expect(Partitioning.resolve(stored: .perKey, requested: .shared, follow: false, storeIsEmpty: true) == .success(.shared))
        #expect(Partitioning.resolve(stored: .shared, requested: .shared, follow: false, storeIsEmpty: false) == .success(.shared))
    }

    @Test func theMismatchSaysWhatToDo() {
        var mismatch = PartitioningMismatch(stored: .shared)
        mismatch.path = "cache.db"
        #expect(mismatch.description.contains("cache.db is shared between API keys") && mismatch.description.contains("start with --shared-cache"))
    }
}
