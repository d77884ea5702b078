/// What the cache needs of a store: entries with their vectors, hit counts, statistics buckets
/// and the start-up scan. ``CacheStore`` (SQLite, one machine) and `PostgresCacheStore` (a fleet of
/// sidecars sharing PostgreSQL) implement it; the pipeline, the statistics and the admin code see
/// only this protocol. Every method fails with a ``StoreError``, and the cache fails open on it.
public protocol CacheStoring: Sendable {
    /// Where the store is, for start-up lines, health and errors: a file path, or a database URL
    /// without its password.
    var location: String { get }

    /// Stores `entry`, replacing any entry with the same key; returns its id.
    func insert(_ entry: NewEntry) async throws(StoreError) -> Int64
    /// Stores `entries` in one transaction (all or none), replacing entries with the same keys;
    /// returns their ids in order.
    func insert(_ entries: [NewEntry]) async throws(StoreError) -> [Int64]
    /// Sets the embedding of an entry, for vectors computed after the entry was stored.
    func setEmbedding(id: Int64, embedding: [Float], embedderID: String) async throws(StoreError)
    /// The entry with `id`, or nil.
    func entry(id: Int64) async throws(StoreError) -> StoredEntry?
    /// Adds counted hits to their entries (entries deleted meanwhile are skipped).
    func addHits(_ counts: [HitCount]) async throws(StoreError)
    /// Deletes the entries with these ids; returns how many existed.
    @discardableResult
    func delete(ids: [Int64]) async throws(StoreError) -> Int
    /// Deletes entries that expired before `time`; returns their ids.
    func deleteExpired(before time: Double) async throws(StoreError) -> [Int64]

    /// Entries matching `filter`, at most `limit`, in `order`.
    func entrySummaries(_ filter: EntryFilter, order: EntryOrder, limit: Int) async throws(StoreError) -> [EntrySummary]
    /// The ids of every entry matching `filter`, ascending.
    func entryIDs(matching filter: EntryFilter) async throws(StoreError) -> [Int64]
    /// Up to `limit` whole entries with an id above `afterID`, in id order.
    func entries(afterID: Int64, limit: Int) async throws(StoreError) -> [StoredEntry]
    /// How many entries the store holds and their bytes (response, prompt and vector).
    func size() async throws(StoreError) -> (entries: Int, bytes: Int)

    /// Hands every entry to `scanner`, without materialising rows where the backend allows it:
    /// the start-up load of the in-memory indexes.
    func scanIndex<Scanner: IndexScanner>(into scanner: Scanner) async throws(StoreError) -> Scanner
    /// The number of entries per context key, to reserve the vector matrices before a scan.
    func entryCountsByContext() async throws(StoreError) -> [ContextEntryCount]

    /// Adds every row of `batch` to its bucket, in one write.
    func addStats(_ batch: StatsBatch) async throws(StoreError)
    /// Everything recorded from `since`, summed per endpoint, model, result and detail.
    func statsTotals(since: Int64) async throws(StoreError) -> StatsBatch
    /// Requests from `since` summed per `step` seconds and result.
    func statsSeries(since: Int64, step: Int64) async throws(StoreError) -> [StatsRequestRow]
    /// The earliest bucket holding statistics, or nil when there are none.
    func firstStatsBucket() async throws(StoreError) -> Int64?
    /// Claims (or renews) the fleet's maintenance duty for `holder` for `lease`: true when
    /// `holder` is now the one sidecar that sweeps expired entries, enforces the budget and merges
    /// statistics. A holder that stops renewing loses the duty when its lease runs out.
    func claimMaintenance(holder: String, lease: Duration) async throws(StoreError) -> Bool
    /// Merges buckets that start before `cutoff` into buckets of `granularity` seconds; returns
    /// how many rows it removed.
    @discardableResult
    func compactStats(before cutoff: Int64, granularity: Int64) async throws(StoreError) -> Int

    /// The value of the cache-wide setting `name` (the partitioning mode), or nil when it was never set.
    func setting(_ name: String) async throws(StoreError) -> String?
    /// Sets the cache-wide setting `name` to `value`.
    func setSetting(_ name: String, to value: String) async throws(StoreError)
    /// Whether the store holds no entries.
    func isEmpty() async throws(StoreError) -> Bool
}

extension CacheStoring {
    /// Every entry's keys, vector and times, copied out (for tests and tools; start-up uses
    /// ``scanIndex(into:)``).
    public func loadIndex() async throws(StoreError) -> [IndexRow] {
        try await scanIndex(into: IndexRowCollector()).rows
    }
}

extension CacheStore: CacheStoring {
    public var location: String { path }

    /// One process owns a SQLite file: it always holds the duty.
    public func claimMaintenance(holder: String, lease: Duration) async throws(StoreError) -> Bool { true }
}
