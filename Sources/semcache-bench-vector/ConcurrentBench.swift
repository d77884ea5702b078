import Dispatch
import Foundation
import VectorIndex

/// One searcher querying the largest partition back to back while an inserter adds (and removes) a row
/// of the same partition every millisecond: search latency with and without the writes, and how long
/// an insert waits behind a running search (the partition's reader-writer lock).
func runConcurrentBench(vectors: VectorFile, queries: VectorFile, size: Int, seconds: Double) {
    let space = VectorSpace(embedderID: "bench", dimension: vectors.dimension)
    let index = vectors.index(rows: min(size, vectors.rowCount), context: benchContext, space: space)
    let queryRows = (0..<queries.rowCount).map(queries.row)
    let quiet = queryRows.map { query in measure { _ = index.search(query, context: benchContext, space: space, k: 10) } }

    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    let group = DispatchGroup()
    nonisolated(unsafe) var searchSamples: [Double] = []
    nonisolated(unsafe) var insertSamples: [Double] = []
    DispatchQueue.global().async(group: group) {
        var position = 0
        while ContinuousClock.now < deadline {
            let query = queryRows[position % queryRows.count]
            searchSamples.append(measure { _ = index.search(query, context: benchContext, space: space, k: 10) })
            position += 1
        }
    }
    DispatchQueue.global().async(group: group) {
        var id = Int64(1 << 40)
        while ContinuousClock.now < deadline {
            let vector = queryRows[Int(id % Int64(queryRows.count))]
            insertSamples.append(measure { index.insert(id: id, vector: vector, context: benchContext, space: space) })
            if id % 2 == 0 { index.remove(id: id - 1) }
            id += 1
            usleep(1_000)
        }
    }
    group.wait()
    emit([
        "impl": "concurrent", "size": size, "threads": BLASThreads.current ?? 1,
        "search_quiet_p50_ms": percentile(quiet, 0.5) / 1e6,
        "search_busy_p50_ms": percentile(searchSamples, 0.5) / 1e6,
        "search_busy_p99_ms": percentile(searchSamples, 0.99) / 1e6,
        "inserts": insertSamples.count,
        "insert_p50_ms": percentile(insertSamples, 0.5) / 1e6,
        "insert_p99_ms": percentile(insertSamples, 0.99) / 1e6,
        "insert_max_ms": (insertSamples.max() ?? .nan) / 1e6,
    ])
}
