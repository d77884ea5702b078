import CBLAS

/// Dot products of one query with many rows of a row-major matrix: `scores[r] = matrix[r] · query`.
///
/// Public only for the benchmark (`@_spi(Benchmarks)`), which compares the two kernels.
@_spi(Benchmarks)
public enum RowScoring {
    /// Below this many rows the hand-written SIMD loop beats the BLAS call (measured with
    /// `semcache-bench-vector kernels`; BLAS dispatch costs more than a few short dot products).
    public static let simdRowLimit = 32

    /// Scores with whichever kernel is faster for `rows`.
    @inlinable
    public static func scores(
        matrix: UnsafePointer<Float>, rows: Int, dimension: Int, query: UnsafePointer<Float>,
        into scores: UnsafeMutablePointer<Float>
    ) {
        if rows < simdRowLimit {
            simdScores(matrix: matrix, rows: rows, dimension: dimension, query: query, into: scores)
        } else {
            blasScores(matrix: matrix, rows: rows, dimension: dimension, query: query, into: scores)
        }
    }

    /// One `cblas_sgemv` over all rows.
    public static func blasScores(
        matrix: UnsafePointer<Float>, rows: Int, dimension: Int, query: UnsafePointer<Float>,
        into scores: UnsafeMutablePointer<Float>
    ) {
        cblas_sgemv(
            CblasRowMajor, CblasNoTrans, Int32(rows), Int32(dimension),
            1, matrix, Int32(dimension), query, 1, 0, scores, 1)
    }

    /// A 16-lane SIMD dot product per row.
    @inlinable
    public static func simdScores(
        matrix: UnsafePointer<Float>, rows: Int, dimension: Int, query: UnsafePointer<Float>,
        into scores: UnsafeMutablePointer<Float>
    ) {
        let lanes = SIMD16<Float>.scalarCount
        let vectorEnd = dimension - dimension % lanes
        let queryBytes = UnsafeRawPointer(query)
        for row in 0..<rows {
            let rowStart = matrix + row * dimension
            let rowBytes = UnsafeRawPointer(rowStart)
            var sums = SIMD16<Float>()
            var offset = 0
            while offset < vectorEnd {
                let byteOffset = offset * MemoryLayout<Float>.stride
                sums += rowBytes.loadUnaligned(fromByteOffset: byteOffset, as: SIMD16<Float>.self)
                    * queryBytes.loadUnaligned(fromByteOffset: byteOffset, as: SIMD16<Float>.self)
                offset += lanes
            }
            var total = sums.sum()
            while offset < dimension {
                total += rowStart[offset] * query[offset]
                offset += 1
            }
            scores[row] = total
        }
    }
}
