import Testing
@_spi(Benchmarks) import VectorIndex

@Suite struct RowScoringTests {
    /// The SIMD kernel (four-row blocks, then single rows, then the components past the last 16) and
    /// sgemv give the same dot products.
    @Test(arguments: [(1, 384), (3, 37), (4, 16), (9, 7), (33, 100)])
    func simdKernelAgreesWithSgemv(rows: Int, dimension: Int) {
        var generator = SeededGenerator(seed: UInt64(rows * 1_000 + dimension))
        let matrix = (0..<rows).flatMap { _ in generator.vector(dimension: dimension) }
        let query = generator.vector(dimension: dimension)
        var blas = [Float](repeating: .nan, count: rows)
        var simd = [Float](repeating: .nan, count: rows)
        RowScoring.blasScores(matrix: matrix, rows: rows, dimension: dimension, query: query, into: &blas)
        RowScoring.simdScores(matrix: matrix, rows: rows, dimension: dimension, query: query, into: &simd)
        for (fromBLAS, fromSIMD) in zip(blas, simd) {
            #expect(abs(fromBLAS - fromSIMD) <= 1e-4 * max(1, abs(fromBLAS)))
        }
    }
}
