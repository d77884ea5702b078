// semcache-bench-vector: the Swift side of bench/vector (run it through bench/vector/run.sh).
//
//   semcache-bench-vector search|kernels|concurrent|startup --dir DATA [--sizes 10000,100000,1000000] [--threads 1,2]
//
// Prints one JSON object per line; bench/vector/report.py turns them and the baselines' into a table.
import Foundation
import VectorIndex

let directory = option("dir", ".build/bench-vector")
let dimension = Int(option("dim", "384")) ?? 384
let sizes = integers(option("sizes", "10000,100000,1000000"))
let threadCounts = integers(option("threads", "1,2"))

do {
    let command = CommandLine.arguments.dropFirst().first
    if command == "startup" {
        try runStartupBench(databasePath: "\(directory)/startup.db", rows: sizes.max() ?? 0, dimension: dimension) {
            try VectorFile(path: "\(directory)/vectors.f32", dimension: dimension)
        }
        exit(0)
    }
    let vectors = try VectorFile(path: "\(directory)/vectors.f32", dimension: dimension)
    let queries = try VectorFile(path: "\(directory)/queries.f32", dimension: dimension)
    switch command {
    case "search":
        runSearchBench(vectors: vectors, queries: queries, sizes: sizes, threadCounts: threadCounts)
    case "kernels":
        runKernelBench(vectors: vectors, queries: queries, threadCounts: threadCounts, largest: sizes.max() ?? 0)
    case "concurrent":
        for threads in threadCounts {
            BLASThreads.set(threads)
            runConcurrentBench(vectors: vectors, queries: queries, size: sizes.max() ?? 0,
                               seconds: Double(option("seconds", "5")) ?? 5)
        }
    default:
        FileHandle.standardError.write(Data("usage: semcache-bench-vector search|kernels|concurrent|startup --dir DATA\n".utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("semcache-bench-vector: \(error)\n".utf8))
    exit(1)
}
