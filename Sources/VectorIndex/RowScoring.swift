import CBLAS

/// Dot products of one query with many rows of a row-major matrix: `scores[r] = matrix[r] · query`.
///
/// Public only for the benchmark (`@_spi(Benchmarks)`), which compares the two kernels.
@_spi(Benchmarks)
public enum RowScoring {
    /// Below this many rows the hand-written SIMD loop beats the BLAS call: measured with
    /// `semcache-bench-vector kernels` at 384 dimensions, one row takes 0.05 µs against sgemv's 0.08 µs,
    /// while from four rows on sgemv is faster (0.11 µs against 0.15 µs, and 1.2–2× at 8–512 rows).
    public static let simdRowLimit = 2

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

    /// Hand-written SIMD dot products: four rows at a time (four independent 16-lane accumulators
    /// sharing each query load), then the remaining rows one by one.
    @inlinable
    public static func simdScores(
        matrix: UnsafePointer<Float>, rows: Int, dimension: Int, query: UnsafePointer<Float>,
        into scores: UnsafeMutablePointer<Float>
    ) {
        let lanes = SIMD16<Float>.scalarCount
        let vectorEnd = dimension - dimension % lanes
        let stride = dimension * MemoryLayout<Float>.stride
        let queryBytes = UnsafeRawPointer(query)
        var row = 0
        while row + 4 <= rows {
            let first = UnsafeRawPointer(matrix + row * dimension)
            var sums = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
            var byteOffset = 0
            while byteOffset < vectorEnd * MemoryLayout<Float>.stride {
                let q = queryBytes.loadUnaligned(fromByteOffset: byteOffset, as: SIMD16<Float>.self)
                sums.0 += first.loadUnaligned(fromByteOffset: byteOffset, as: SIMD16<Float>.self) * q
                sums.1 += first.loadUnaligned(fromByteOffset: stride + byteOffset, as: SIMD16<Float>.self) * q
                sums.2 += first.loadUnaligned(fromByteOffset: 2 * stride + byteOffset, as: SIMD16<Float>.self) * q
                sums.3 += first.loadUnaligned(fromByteOffset: 3 * stride + byteOffset, as: SIMD16<Float>.self) * q
                byteOffset += lanes * MemoryLayout<Float>.stride
            }
            scores[row] = sums.0.sum() + tailDot(matrix + row * dimension, query, from: vectorEnd, to: dimension)
            scores[row + 1] = sums.1.sum() + tailDot(matrix + (row + 1) * dimension, query, from: vectorEnd, to: dimension)
            scores[row + 2] = sums.2.sum() + tailDot(matrix + (row + 2) * dimension, query, from: vectorEnd, to: dimension)
            scores[row + 3] = sums.3.sum() + tailDot(matrix + (row + 3) * dimension, query, from: vectorEnd, to: dimension)
            row += 4
        }
        while row < rows {
            let rowBytes = UnsafeRawPointer(matrix + row * dimension)
            var sums = SIMD16<Float>()
            var byteOffset = 0
            while byteOffset < vectorEnd * MemoryLayout<Float>.stride {
                sums += rowBytes.loadUnaligned(fromByteOffset: byteOffset, as: SIMD16<Float>.self)
                    * queryBytes.loadUnaligned(fromByteOffset: byteOffset, as: SIMD16<Float>.self)
                byteOffset += lanes * MemoryLayout<Float>.stride
            }
            scores[row] = sums.sum() + tailDot(matrix + row * dimension, query, from: vectorEnd, to: dimension)
            row += 1
        }
    }

    /// The dot product of components `start..<end` (fewer than 16) of `row` and `query`.
    @inlinable
    static func tailDot(_ row: UnsafePointer<Float>, _ query: UnsafePointer<Float>, from start: Int, to end: Int) -> Float {
        var total: Float = 0
        for index in start..<end {
            total += row[index] * query[index]
        }
        return total
    }
}
