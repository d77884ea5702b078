// semcache-bench-embed: latency, throughput, load time and memory of MiniLMEmbedder.
// Prints one JSON object; bench/embedding/run.sh compares it with the PyTorch baseline.
import Embedding
import Foundation

struct Options {
    var modelDirectory = "models/all-MiniLM-L6-v2"
    var threads = 1
    var sentencesFile: String?
    var prompt = "How do I configure the time to live of cached answers in my semantic proxy?"
    var warmup = 20
    var runs = 300
    var batchSize = 32
    var passes = 3

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        func value(_ flag: String) throws -> String {
            guard let next = rest.popFirst() else { throw BenchError("\(flag) needs a value") }
            return next
        }
        func number(_ flag: String) throws -> Int {
            guard let parsed = Int(try value(flag)), parsed > 0 else { throw BenchError("\(flag) needs a positive integer") }
            return parsed
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--model-dir": modelDirectory = try value(flag)
            case "--threads": threads = try number(flag)
            case "--sentences": sentencesFile = try value(flag)
            case "--prompt": prompt = try value(flag)
            case "--warmup": warmup = try number(flag)
            case "--runs": runs = try number(flag)
            case "--batch-size": batchSize = try number(flag)
            case "--passes": passes = try number(flag)
            default:
                throw BenchError("""
                    unknown argument \(flag)
                    usage: semcache-bench-embed [--model-dir DIR] [--threads N] [--sentences FILE] [--prompt TEXT]
                                                [--warmup N] [--runs N] [--batch-size N] [--passes N]
                    """)
            }
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// VmRSS and VmHWM of this process in MiB, from /proc/self/status.
func memory() -> (rss: Double, peak: Double) {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
    func field(_ name: String) -> Double {
        for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
            let digits = line.split(separator: " ").dropFirst().first.flatMap { Double($0) } ?? 0
            return digits / 1024
        }
        return 0
    }
    return (field("VmRSS"), field("VmHWM"))
}

func milliseconds(_ duration: Duration) -> Double {
    let parts = duration.components
    return Double(parts.seconds) * 1000 + Double(parts.attoseconds) / 1e15
}

func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
    sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))]
}

func run() async throws {
    let options = try Options(Array(CommandLine.arguments.dropFirst()))
    let sentences: [String]
    if let file = options.sentencesFile {
        sentences = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init)
    } else {
        sentences = (0..<256).map { "Sentence number \($0) about caching answers from language models." }
    }
    let clock = ContinuousClock()
    let before = memory()
    var embedder: MiniLMEmbedder?
    let loadTime = try clock.measure {
        embedder = try MiniLMEmbedder(modelDirectory: URL(fileURLWithPath: options.modelDirectory),
                                      maxBatch: options.batchSize, threads: options.threads)
    }
    guard let embedder else { throw BenchError("the model did not load") }
    let afterLoad = memory()

    for _ in 0..<options.warmup { _ = try await embedder.embed([options.prompt]) }
    var latencies: [Double] = []
    for _ in 0..<options.runs {
        let elapsed = try await clock.measure { _ = try await embedder.embed([options.prompt]) }
        latencies.append(milliseconds(elapsed))
    }
    latencies.sort()

    var passTimes: [Double] = []
    for _ in 0..<options.passes {
        let elapsed = try await clock.measure {
            var start = 0
            while start < sentences.count {
                let end = min(start + options.batchSize, sentences.count)
                _ = try await embedder.embed(Array(sentences[start..<end]))
                start = end
            }
        }
        passTimes.append(milliseconds(elapsed))
    }
    let afterRun = memory()

    let result: [String: Any] = [
        "implementation": "semcache (Swift, packed-weight kernel, OpenBLAS attention)",
        "threads": options.threads,
        "prompt_tokens": embedder.tokenize(options.prompt).count,
        "load_ms": milliseconds(loadTime),
        "single_p50_ms": percentile(latencies, 0.5),
        "single_p99_ms": percentile(latencies, 0.99),
        "batch_sentences": sentences.count,
        "batch_size": options.batchSize,
        "batch_sentences_per_s": Double(sentences.count) / (passTimes.min() ?? 1) * 1000,
        "rss_before_load_mb": before.rss,
        "rss_after_load_mb": afterLoad.rss,
        "rss_after_run_mb": afterRun.rss,
        "hwm_after_run_mb": afterRun.peak,
    ]
    let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
    print(String(decoding: json, as: UTF8.self))
}

do {
    try await run()
} catch {
    FileHandle.standardError.write(Data("semcache-bench-embed: \(error)\n".utf8))
    exit(1)
}
