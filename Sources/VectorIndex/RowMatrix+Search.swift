import CBLAS

extension RowMatrix {
    /// Scores `rows` against one normalised query and offers them to `selector`. `scores` holds at
    /// least `rows.count` floats.
    func score(
        rows: Range<Int>, query: [Float], scores: UnsafeMutableBufferPointer<Float>, into selector: inout TopKSelector
    ) {
        values.withUnsafeBufferPointer { matrix in
            query.withUnsafeBufferPointer { query in
                RowScoring.scores(
                    matrix: matrix.baseAddress! + rows.lowerBound * dimension, rows: rows.count,
                    dimension: dimension, query: query.baseAddress!, into: scores.baseAddress!)
            }
        }
        ids.withUnsafeBufferPointer { ids in
            selector.consider(
                scores: UnsafeBufferPointer(rebasing: scores[..<rows.count]), ids: UnsafeBufferPointer(rebasing: ids[rows]))
        }
    }

    /// Scores `rows` against `selectors.count` normalised queries stored row-major in `queries` with one
    /// `cblas_sgemm`, offering each query's scores to its selector. `scores` holds at least
    /// `rows.count × selectors.count` floats.
    func score(
        rows: Range<Int>, queries: [Float], scores: UnsafeMutableBufferPointer<Float>,
        into selectors: inout [TopKSelector]
    ) {
        let queryCount = selectors.count
        let rowCount = rows.count
        values.withUnsafeBufferPointer { matrix in
            queries.withUnsafeBufferPointer { queries in
                cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasTrans, Int32(queryCount), Int32(rowCount), Int32(dimension),
                    1, queries.baseAddress, Int32(dimension), matrix.baseAddress! + rows.lowerBound * dimension,
                    Int32(dimension), 0, scores.baseAddress, Int32(rowCount))
            }
        }
        ids.withUnsafeBufferPointer { ids in
            let rowIDs = UnsafeBufferPointer(rebasing: ids[rows])
            for query in 0..<queryCount {
                let queryScores = UnsafeBufferPointer(rebasing: scores[query * rowCount ..< (query + 1) * rowCount])
                selectors[query].consider(scores: queryScores, ids: rowIDs)
            }
        }
    }
}
