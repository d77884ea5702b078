import CKernels
import Testing
@_spi(Benchmarks) import VectorIndex

@Suite struct RowScoringTests {
    /// Shapes that reach every part of the kernels: fewer rows than one block of four, a partial last
    /// block, dimensions below one 8-lane vector, with a tail past the last full vector, and 384 (MiniLM).
    static let shapes = [(1, 384), (3, 37), (4, 16), (5, 8), (9, 7), (13, 1), (33, 100), (258, 384)]

    /// The hand-written kernel (AVX2 path on this CPU, when it has AVX2 and FMA) and sgemv give the same dot products.
    @Test(arguments: shapes)
    func simdKernelAgreesWithSgemv(rows: Int, dimension: Int) {
        let (matrix, query) = Self.inputs(rows: rows, dimension: dimension)
        let blas = Self.scores(rows: rows) {
            RowScoring.blasScores(matrix: matrix, rows: rows, dimension: dimension, query: query, into: $0)
        }
        let simd = Self.scores(rows: rows) {
            RowScoring.simdScores(matrix: matrix, rows: rows, dimension: dimension, query: query, into: $0)
        }
        Self.expectClose(simd, blas)
    }

    /// Both code paths of `semcache_row_dots`, the dispatched one and the portable C one, agree with a plain
    /// double-precision loop within float rounding.
    @Test(arguments: shapes)
    func bothKernelPathsAgreeWithAPlainLoop(rows: Int, dimension: Int) {
        let (matrix, query) = Self.inputs(rows: rows, dimension: dimension)
        let reference = (0..<rows).map { row in
            Float((0..<dimension).reduce(0.0) { $0 + Double(matrix[row * dimension + $1]) * Double(query[$1]) })
        }
        let dispatched = Self.scores(rows: rows) { semcache_row_dots(matrix, rows, dimension, query, $0) }
        let portable = Self.scores(rows: rows) { semcache_row_dots_portable(matrix, rows, dimension, query, $0) }
        Self.expectClose(dispatched, reference)
        Self.expectClose(portable, reference)
    }

    private static func inputs(rows: Int, dimension: Int) -> (matrix: [Float], query: [Float]) {
        var generator = SeededGenerator(seed: UInt64(rows * 1_000 + dimension))
        let matrix = (0..<rows).flatMap { _ in generator.vector(dimension: dimension) }
        return (matrix, generator.vector(dimension: dimension))
    }

    /// Runs `kernel` on a buffer of `rows` NaNs, so a score the kernel never writes fails the comparison.
    private static func scores(rows: Int, _ kernel: (UnsafeMutablePointer<Float>) -> Void) -> [Float] {
        var scores = [Float](repeating: .nan, count: rows)
        scores.withUnsafeMutableBufferPointer { kernel($0.baseAddress!) }
        return scores
    }

    private static func expectClose(_ actual: [Float], _ expected: [Float]) {
        #expect(actual.count == expected.count)
        for (row, (got, want)) in zip(actual, expected).enumerated() {
            #expect(abs(got - want) <= 1e-4 * max(1, abs(want)), "row \(row): \(got) against \(want)")
        }
    }
}
