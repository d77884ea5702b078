/// The rows of one context and embedding space, behind a reader-writer lock.
///
/// A search scores the rows in chunks and holds the lock (shared) for one chunk at a time, so an insert
/// or removal waits at most for one chunk's scoring, however large the partition. In exchange a search
/// that runs while rows are removed may miss a row that a removal moved into the part already scored
/// (it reports fewer or worse matches, never a vector under the wrong id), and may report an id
/// removed after its row was scored.
final class Partition: Sendable {
    /// Rows scored per lock hold: 50 MB of a 384-dimension matrix. Smaller chunks let writers in sooner,
    /// but each chunk is one BLAS call, and with OpenBLAS threads each call pays a thread hand-off.
    static let chunkRows = 32_768
    /// Upper bound of a batched search's score buffer, in floats (queries × rows per chunk).
    static let batchScoreBudget = 1 << 20

    let key: PartitionKey
    let rows: ReadWriteLocked<RowMatrix>

    init(key: PartitionKey) {
        self.key = key
        rows = ReadWriteLocked(RowMatrix(dimension: key.space.dimension))
    }

    /// The `k` rows most similar to `query` (normalised), best first.
    func topMatches(for query: [Float], k: Int) -> [VectorMatch] {
        let expectedRows = rows.read { $0.rowCount }
        guard expectedRows > 0 else { return [] }
        var selector = TopKSelector(k: k, expectedRows: expectedRows)
        let chunk = min(expectedRows, Self.chunkRows)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: chunk) { scores in
            forEachChunk(of: chunk, upTo: expectedRows) { matrix, range in
                matrix.score(rows: range, query: query, scores: scores, into: &selector)
            }
        }
        return selector.matches()
    }

    /// The `k` best rows for each of `queryCount` normalised queries stored row-major in `queries`.
    func topMatches(forQueries queries: [Float], queryCount: Int, k: Int) -> [[VectorMatch]] {
        let expectedRows = rows.read { $0.rowCount }
        var selectors = (0..<queryCount).map { _ in TopKSelector(k: k, expectedRows: expectedRows) }
        guard expectedRows > 0 else { return selectors.map { $0.matches() } }
        let chunk = min(expectedRows, max(1_024, min(Self.chunkRows, Self.batchScoreBudget / queryCount)))
        let scores = UnsafeMutableBufferPointer<Float>.allocate(capacity: chunk * queryCount)
        defer { scores.deallocate() }
        forEachChunk(of: chunk, upTo: expectedRows) { matrix, range in
            matrix.score(rows: range, queries: queries, scores: scores, into: &selectors)
        }
        return selectors.map { $0.matches() }
    }

    /// Makes room for `additional` more rows without holding searches up: when the matrix must grow, the
    /// larger copy (seconds for a million rows, most of it faulting in the new pages) is made under the
    /// shared lock, beside running searches, and only swapped in under the exclusive one. The caller must
    /// be the partition's only writer for the whole call (``VectorIndex`` holds its writers' lock), so the
    /// rows cannot change between the copy and the swap.
    func reserveRows(_ additional: Int) {
        guard var grown = rows.read({ $0.grownCopy(adding: additional) }) else { return }
        rows.write { swap(&$0, &grown) }
        // `grown` holds the old storage now; it is freed here, outside the lock.
    }

    /// Calls `body` under the shared lock for consecutive ranges of at most `chunk` rows, releasing the
    /// lock between them. Stops at `limit` rows (the count when the search began) so that steady inserts
    /// cannot prolong a search, or earlier when removals shrank the partition.
    private func forEachChunk(of chunk: Int, upTo limit: Int, _ body: (borrowing RowMatrix, Range<Int>) -> Void) {
        var start = 0
        var finished = false
        while !finished {
            rows.read { matrix in
                let end = min(start + chunk, limit, matrix.rowCount)
                guard start < end else {
                    finished = true
                    return
                }
                body(matrix, start..<end)
                start = end
            }
        }
    }
}

/// Where a stored id lives.
struct RowLocation: Sendable {
    var partition: Partition
    var row: Int
}
