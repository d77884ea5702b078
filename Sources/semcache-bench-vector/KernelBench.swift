@_spi(Benchmarks) import VectorIndex

/// sgemv against the hand-written SIMD loop for small partitions, and the cost of blocking plus
/// top-k selection: one bare sgemv over the largest size against a search of the same rows.
func runKernelBench(vectors: VectorFile, queries: VectorFile, threadCounts: [Int], largest: Int) {
    let dimension = vectors.dimension
    let query = queries.row(0)
    let index = vectors.index(
        rows: min(largest, vectors.rowCount), context: benchContext,
        space: VectorSpace(embedderID: "bench", dimension: dimension))
    for threads in threadCounts {
        BLASThreads.set(threads)
        for rows in [1, 4, 8, 16, 32, 64, 128, 512, 4096] {
            var scores = [Float](repeating: 0, count: rows)
            let repetitions = max(20, 2_000_000 / (rows * dimension))
            let timings = [("blas", RowScoring.blasScores), ("simd", RowScoring.simdScores)].map { name, kernel in
                let total = vectors.values.withUnsafeBufferPointer { matrix in
                    query.withUnsafeBufferPointer { query in
                        scores.withUnsafeMutableBufferPointer { scores in
                            measure {
                                for _ in 0..<repetitions {
                                    kernel(matrix.baseAddress!, rows, dimension, query.baseAddress!, scores.baseAddress!)
                                }
                            }
                        }
                    }
                }
                return (name, total / Double(repetitions))
            }
            emit([
                "impl": "kernel", "rows": rows, "threads": threads,
                "blas_us": timings[0].1 / 1e3, "simd_us": timings[1].1 / 1e3,
            ])
        }
        let rows = min(largest, vectors.rowCount)
        var scores = [Float](repeating: 0, count: rows)
        // The same scan with each kernel in one call: what a search costs without chunking and top-k.
        for (name, kernel) in [("bare-sgemv", RowScoring.blasScores), ("bare-simd", RowScoring.simdScores)] {
            let bare = (0..<10).map { _ in
                vectors.values.withUnsafeBufferPointer { matrix in
                    query.withUnsafeBufferPointer { query in
                        scores.withUnsafeMutableBufferPointer { scores in
                            measure { kernel(matrix.baseAddress!, rows, dimension, query.baseAddress!, scores.baseAddress!) }
                        }
                    }
                }
            }
            emit(["impl": name, "size": rows, "threads": threads, "p50_ms": percentile(bare, 0.5) / 1e6])
        }
        let space = VectorSpace(embedderID: "bench", dimension: dimension)
        let searched = (0..<10).map { _ in
            measure { _ = index.search(query, context: benchContext, space: space, k: 10) }
        }
        emit(["impl": "index-search", "size": rows, "threads": threads, "p50_ms": percentile(searched, 0.5) / 1e6])
    }
}
