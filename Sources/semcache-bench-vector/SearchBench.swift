import VectorIndex

/// One k=10 query over 10k, 100k and 1M rows of one context, per BLAS thread count; and a batch of
/// 16 queries (sgemm) against 16 single searches.
func runSearchBench(vectors: VectorFile, queries: VectorFile, sizes: [Int], threadCounts: [Int]) {
    let space = VectorSpace(embedderID: "bench", dimension: vectors.dimension)
    let queryRows = (0..<queries.rowCount).map(queries.row)
    for size in sizes where size <= vectors.rowCount {
        let index = vectors.index(rows: size, context: benchContext, space: space)
        for threads in threadCounts {
            BLASThreads.set(threads)
            for query in queryRows.prefix(5) {
                _ = index.search(query, context: benchContext, space: space, k: 10)
            }
            let samples = queryRows.map { query in
                measure { _ = index.search(query, context: benchContext, space: space, k: 10) }
            }
            emit([
                "impl": "semcache", "size": size, "threads": threads,
                "p50_ms": percentile(samples, 0.5) / 1e6, "p99_ms": percentile(samples, 0.99) / 1e6,
            ])
            let batch = Array(queryRows.prefix(16))
            let batched = measure { _ = index.search(batch, context: benchContext, space: space, k: 10) }
            let single = measure {
                for query in batch { _ = index.search(query, context: benchContext, space: space, k: 10) }
            }
            emit([
                "impl": "semcache-batch16", "size": size, "threads": threads,
                "batch_ms": batched / 1e6, "singles_ms": single / 1e6,
            ])
        }
        emit(["impl": "semcache-memory", "size": size, "bytes": index.memoryBytes])
    }
}
