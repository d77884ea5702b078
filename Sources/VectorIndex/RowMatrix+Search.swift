import CBLAS

extension RowMatrix {
    /// Upper bound of the scores buffer of a batched search, in floats (queries × rows per block).
    static let batchScoreBudget = 4 << 20

    /// The `k` rows most similar to `query` (normalised, `dimension` values), best first.
    ///
    /// One BLAS call scores the whole partition: each call may hand work to OpenBLAS's threads, and that
    /// hand-off costs more than scoring a small partition, so it is paid once per search, not per block.
    func topMatches(for query: [Float], k: Int) -> [VectorMatch] {
        guard rowCount > 0 else { return [] }
        var selector = TopKSelector(k: k, expectedRows: rowCount)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: rowCount) { scores in
            values.withUnsafeBufferPointer { matrix in
                query.withUnsafeBufferPointer { query in
                    RowScoring.scores(
                        matrix: matrix.baseAddress!, rows: rowCount, dimension: dimension,
                        query: query.baseAddress!, into: scores.baseAddress!)
                }
            }
            ids.withUnsafeBufferPointer { ids in
                selector.consider(scores: UnsafeBufferPointer(scores), ids: ids)
            }
        }
        return selector.matches()
    }

    /// The `k` best rows for each of `queryCount` normalised queries stored row-major in `queries`,
    /// scored together with one `cblas_sgemm` per block of rows.
    func topMatches(forQueries queries: [Float], queryCount: Int, k: Int) -> [[VectorMatch]] {
        guard rowCount > 0 else { return Array(repeating: [], count: queryCount) }
        var selectors = (0..<queryCount).map { _ in TopKSelector(k: k, expectedRows: rowCount) }
        let blockRows = min(rowCount, max(16_384, Self.batchScoreBudget / queryCount))
        let scores = UnsafeMutableBufferPointer<Float>.allocate(capacity: blockRows * queryCount)
        defer { scores.deallocate() }
        forEachBlock(of: blockRows) { matrix, ids in
            let rows = ids.count
            queries.withUnsafeBufferPointer { queries in
                cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasTrans, Int32(queryCount), Int32(rows), Int32(dimension),
                    1, queries.baseAddress, Int32(dimension), matrix, Int32(dimension), 0,
                    scores.baseAddress, Int32(rows))
            }
            for query in 0..<queryCount {
                let queryScores = UnsafeBufferPointer(rebasing: scores[query * rows ..< (query + 1) * rows])
                selectors[query].consider(scores: queryScores, ids: ids)
            }
        }
        return selectors.map { $0.matches() }
    }

    /// Calls `body` with consecutive blocks of at most `blockRows` rows: the block's first value and its ids.
    private func forEachBlock(
        of blockRows: Int, _ body: (UnsafePointer<Float>, UnsafeBufferPointer<Int64>) -> Void
    ) {
        values.withUnsafeBufferPointer { matrix in
            ids.withUnsafeBufferPointer { ids in
                var start = 0
                while start < rowCount {
                    let end = min(start + blockRows, rowCount)
                    body(matrix.baseAddress! + start * dimension, UnsafeBufferPointer(rebasing: ids[start..<end]))
                    start = end
                }
            }
        }
    }
}
