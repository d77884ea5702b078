import ArgumentParser
import Foundation
import SemanticCache

/// `semcache-quality`: precision, recall and false-hit rate of the shipped hit rule and of bare
/// cosine thresholds on labelled pair files, pairwise and cache-style.
@main
struct QualityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "semcache-quality",
        abstract: "Measures semantic-hit quality on labelled pair files (default: every file in ../shared/eval).")

    @Option(name: .customLong("file"), help: "A labelled pair file; repeat with --format for each.")
    var files: [String] = []

    @Option(name: .customLong("format"), help: "The format of each --file: llm|qqp|paws|gptcache|followup|stsb|probe.")
    var formats: [String] = []

    @Option(help: "Directory of the shared eval files used when no --file is given.")
    var evalDir = "../shared/eval"

    @Option(help: "MiniLM model directory for the Swift embedder.")
    var modelDir = "models/all-MiniLM-L6-v2"

    @Option(help: "Read embeddings from this cache file (bench/quality/embed.py) instead of running the Swift embedder.")
    var embeddings: String?

    @Option(help: "Pairs to score: all, fit (the half the rule was fitted on) or held (the held-out half); the probe set is always read whole.")
    var split = "all"

    @Option(help: "Hit-rule threshold (default: the shipped rule's).")
    var threshold: Double?

    @Option(help: "Write the embeddings used to this cache file, for later runs with --embeddings.")
    var saveEmbeddings: String?

    @Option(help: "Measure the answer comparator of verified hits on this file of labelled answer pairs instead (bench/verify/answer_pairs.tsv).")
    var answerPairs: String?

    mutating func run() async throws {
        if let answerPairs {
            let pairs = try AnswerPairsReport.read(URL(fileURLWithPath: answerPairs))
            let prose = pairs.flatMap { [$0.served, $0.fresh] }.map(AnswerPairsReport.content).map(\.text).filter { !$0.isEmpty }
            AnswerPairsReport.print(pairs, vectors: try await loadVectors(texts: prose))
            return
        }
        let inputs = try resolvedInputs()
        guard let split = PairSplit(rawValue: split) else {
            throw ValidationError("--split must be all, fit or held")
        }
        var sets: [(name: String, format: EvalFormat, pairs: [LabelledPair])] = []
        for (url, format) in inputs {
            let pairs = try EvalReader.read(url, format: format).filter { !format.isSplit || split.contains($0) }
            sets.append((url.lastPathComponent, format, pairs))
        }
        let vectors = try await loadVectors(texts: sets.flatMap { $0.pairs.flatMap { [$0.stored, $0.query] } })
        let rule = threshold.map { HitRule(threshold: $0) } ?? HitRule.standard
        print("semantic-hit quality — split: \(split.rawValue), embeddings: \(embeddings ?? "Swift MiniLM (\(modelDir))")")
        print("hit rule threshold \(rule.threshold); false-hit rate: pairwise = wrong hits / non-paraphrase pairs, "
            + "cache-style = wrong hits / queries\n")
        for set in sets {
            QualityReport(name: set.name, format: set.format, pairs: set.pairs, vectors: vectors, rule: rule).print()
        }
    }

    private func resolvedInputs() throws -> [(URL, EvalFormat)] {
        guard !files.isEmpty else {
            let dir = URL(fileURLWithPath: evalDir)
            return EvalFormat.allCases.map { ($0.defaultFile(evalDirectory: dir), $0) }
        }
        guard files.count == formats.count else {
            throw ValidationError("give one --format for every --file (got \(files.count) files, \(formats.count) formats)")
        }
        return try zip(files, formats).map { file, name in
            guard let format = EvalFormat(rawValue: name) else {
                throw ValidationError("unknown --format \(name); use one of llm, qqp, paws, gptcache, followup, stsb, probe")
            }
            return (URL(fileURLWithPath: file), format)
        }
    }

    private func loadVectors(texts: [String]) async throws -> [String: [Float]] {
        if let embeddings {
            let cache = try EmbeddingCacheFile(url: URL(fileURLWithPath: embeddings)).vectors
            if let missing = texts.first(where: { cache[$0] == nil }) {
                throw QualityError("\(embeddings) has no vector for \"\(missing.prefix(60))\"; regenerate it with bench/quality/embed.py")
            }
            return cache
        }
        let embed = try swiftMiniLM(modelDirectory: URL(fileURLWithPath: modelDir))
        let unique = Array(Set(texts)).sorted { $0.count < $1.count }
        var vectors: [String: [Float]] = [:]
        let batch = 32
        for start in stride(from: 0, to: unique.count, by: batch) {
            let slice = Array(unique[start..<min(start + batch, unique.count)])
            for (text, vector) in zip(slice, try await embed(slice)) { vectors[text] = vector }
        }
        if let saveEmbeddings { try EmbeddingCacheFile.write(vectors, to: URL(fileURLWithPath: saveEmbeddings)) }
        return vectors
    }
}
