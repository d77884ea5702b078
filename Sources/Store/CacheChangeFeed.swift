/// A store that other processes write to as well (a fleet of sidecars on one database): it can
/// say what changed since a cursor, so each sidecar keeps its in-memory indexes as a replica.
///
/// The cursor is commit-safe: every change at or below ``changeHorizon()`` is committed and
/// visible, so reading changes in `(cursor, horizon]` and moving the cursor to the horizon never
/// skips a change that commits later.
public protocol CacheChangeFeed: CacheStoring {
    /// The highest change number below which every change is committed.
    func changeHorizon() async throws(StoreError) -> Int64
    /// The entries stored or replaced, and the ids deleted, in `(cursor, horizon]`.
    func changes(after cursor: Int64, upTo horizon: Int64) async throws(StoreError) -> StoreChanges
    /// The ids of every entry, for a full catch-up after the replica lost its connection.
    func allEntryIDs() async throws(StoreError) -> [Int64]
    /// Forgets the records of deletions older than `age` seconds (replicas away longer catch up
    /// fully); returns how many it removed.
    @discardableResult
    func pruneDeletions(olderThan age: Double) async throws(StoreError) -> Int
    /// When to look for changes: on another writer's notification, every `pollInterval`, and
    /// after each (re)connection of the listener. Ends when the store closes. Wake-ups that pile
    /// up while the replica catches up may be dropped: one catch-up covers them all.
    func wakeUps(pollInterval: Duration) -> AsyncStream<ChangeWakeUp>
}

/// Why a replica should look for changes now.
public enum ChangeWakeUp: Sendable, Equatable {
    /// Another writer committed a change.
    case notified
    /// The poll interval passed (a notification can be lost while the listener reconnects).
    case poll
    /// The listener (re)connected: anything may have changed meanwhile.
    case reconnected
}

/// What changed between two cursors.
public struct StoreChanges: Sendable {
    /// Entries stored, replaced or given a vector, as the index needs them.
    public var upserted: [IndexRow]
    /// Ids of entries purged, evicted or expired.
    public var deleted: [Int64]

    public init(upserted: [IndexRow], deleted: [Int64]) {
        self.upserted = upserted
        self.deleted = deleted
    }
}
