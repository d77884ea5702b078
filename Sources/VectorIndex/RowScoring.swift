import CBLAS
import CKernels

/// Dot products of one query with many rows of a row-major matrix: `scores[r] = matrix[r] · query`.
///
/// Public only for the benchmark (`@_spi(Benchmarks)`), which compares the two kernels.
@_spi(Benchmarks)
public enum RowScoring {
    /// Blocks of at least this many rows go to `cblas_sgemv` when BLAS has more than one thread (a search
    /// scans blocks of up to 32,768 rows). Smaller blocks always take the hand-written kernel: with two
    /// OpenBLAS threads sgemv on 32–512 rows sometimes took 2 ms, a thread hand-off, instead of microseconds.
    public static let parallelRowLimit = 4_096

    /// Scores with whichever kernel is faster: the hand-written one (``simdScores``) on one thread, and
    /// `cblas_sgemv` for large blocks when BLAS has more threads. Measured with `semcache-bench-vector kernels`
    /// at 384 dimensions on one thread: the hand-written kernel is faster than sgemv at most sizes from 1 to
    /// 4,096 rows and on the bare 1M-row scan (67 against 76 ms), while a two-thread sgemv splits a large
    /// block across both cores (see bench/vector/README.md).
    public static func scores(
        matrix: UnsafePointer<Float>, rows: Int, dimension: Int, query: UnsafePointer<Float>,
        into scores: UnsafeMutablePointer<Float>
    ) {
        if rows >= parallelRowLimit, let threads = BLASThreads.current, threads > 1 {
            blasScores(matrix: matrix, rows: rows, dimension: dimension, query: query, into: scores)
        } else {
            simdScores(matrix: matrix, rows: rows, dimension: dimension, query: query, into: scores)
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

    /// The hand-written kernel `semcache_row_dots` (CKernels): with AVX2 and FMA, each row read front to
    /// back with four accumulators; portable C on other CPUs.
    public static func simdScores(
        matrix: UnsafePointer<Float>, rows: Int, dimension: Int, query: UnsafePointer<Float>,
        into scores: UnsafeMutablePointer<Float>
    ) {
        semcache_row_dots(matrix, rows, dimension, query, scores)
    }
}
