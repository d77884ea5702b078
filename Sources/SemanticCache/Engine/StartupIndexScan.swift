import Store
import VectorIndex

/// Builds the in-memory indexes from one scan of the store at start-up: the exact-key map and the
/// eviction ledger (handed to ``StartupEntryTables`` in chunks, which fills them on another thread)
/// and, with an embedder, the vectors of that embedder's space grouped by context. Nothing is
/// allocated per row: keys and vectors are read from SQLite's memory, the vectors straight into
/// matrices reserved beforehand from the per-context counts.
struct StartupIndexScan: IndexScanner {
    static let chunkEntries = 16_384

    let tables: StartupEntryTables
    private(set) var vectors = VectorBatch()
    private var chunk: [StartupEntryTables.Entry] = []
    private let space: VectorSpace?
    private let embedderID: [UInt8]
    /// The context of the previous vector: consecutive rows mostly share it, so it is rebuilt only
    /// when the bytes change.
    private var context = ContextKey([])

    /// `counts` (from ``CacheStoring/entryCountsByContext()``) sizes the tables and matrices; `space`
    /// is the embedder's, or nil to skip vectors.
    init(counts: [ContextEntryCount], space: VectorSpace?) {
        self.space = space
        embedderID = Array((space?.embedderID ?? "").utf8)
        tables = StartupEntryTables(capacity: counts.reduce(0) { $0 + $1.entries })
        chunk.reserveCapacity(Self.chunkEntries)
        guard let space else { return }
        for count in counts {
            guard let context = count.contextKey else { continue }
            vectors.reserveCapacity(count.entries, context: ContextKey(context), space: space)
        }
    }

    mutating func visit(_ row: borrowing IndexRowView) {
        let id = row.id
        let createdAt = row.createdAt
        chunk.append(StartupEntryTables.Entry(
            id: id, createdAt: createdAt, expiresAt: row.expiresAt,
            item: EntryLedger.Item(key: CacheKey(bytes: row.key), bytes: row.sizeBytes, recency: row.lastHitAt ?? createdAt)))
        if chunk.count == Self.chunkEntries { flush() }
        guard let space, let rowEmbedder = row.embedderID, rowEmbedder.elementsEqual(embedderID),
            let contextBytes = row.contextKey, let embedding = row.embedding
        else { return }
        if !contextBytes.elementsEqual(context.bytes) { context = ContextKey(Array(contextBytes)) }
        vectors.append(id: id, float32Bytes: embedding, context: context, space: space)
    }

    /// Hands the entries collected so far to ``tables``; call once more after the scan.
    mutating func flush() {
        guard !chunk.isEmpty else { return }
        tables.add(chunk)
        chunk.removeAll(keepingCapacity: true)
    }
}
