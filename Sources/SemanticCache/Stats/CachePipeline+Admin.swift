import Foundation
import Store

/// The store could not be opened, so there is nothing to report or change.
public struct StoreUnavailableError: Error, CustomStringConvertible, Sendable {
    public let cause: String
    public var description: String { "the cache store is unavailable (\(cause)); the sidecar only forwards" }
}

/// What operators ask of a running sidecar: statistics, listing, purging and exporting entries.
extension CachePipeline {
    private func requireStore() throws -> any CacheStoring {
        guard let store else { throw StoreUnavailableError(cause: storeFailure ?? "not opened") }
        return store
    }

    /// The statistics report; counts still in memory are written to the store first.
    public func statsReport(_ report: StatsReport) async throws -> JSONValue {
        let store = try requireStore()
        await stats.flush()
        await flushHits()
        return try await report.build(store: store, prices: stats.prices, recorder: stats, now: Date().timeIntervalSince1970)
    }

    /// Entries matching `filter`, at most `limit`.
    public func entrySummaries(_ filter: EntryFilter, order: EntryOrder, limit: Int) async throws -> [EntrySummary] {
        let store = try requireStore()
        await flushHits()
        return try await store.entrySummaries(filter, order: order, limit: limit)
    }

    /// Deletes every entry matching `filter` from the store, the exact index and the vector index
    /// at once; returns the ids deleted.
    public func purge(matching filter: EntryFilter) async throws -> [Int64] {
        let ids = try await requireStore().entryIDs(matching: filter)
        _ = try await purge(ids: ids)
        return ids
    }

    /// Whole entries after `afterID`, in id order, for exporting.
    public func entries(afterID: Int64, limit: Int) async throws -> [StoredEntry] {
        let store = try requireStore()
        if afterID == 0 { await flushHits() }
        return try await store.entries(afterID: afterID, limit: limit)
    }

    /// Entries in the store and their bytes.
    public func storeSize() async throws -> (entries: Int, bytes: Int) {
        try await requireStore().size()
    }
}
