import Foundation

/// sentence-transformers/all-MiniLM-L6-v2 (6-layer BERT, 384 dimensions) run in-process: dense layers
/// through `CKernels` over weights packed at load, attention over CBLAS.
///
/// The model runs on one dedicated thread, never on the Swift cooperative pool or an event loop:
/// ``embed(_:)`` enqueues its texts and suspends; the model thread takes every call waiting at that
/// moment and embeds them as one batch (up to `maxBatch` texts), so concurrent callers share GEMMs.
/// Texts longer than 256 tokens are truncated, as sentence-transformers does.
public final class MiniLMEmbedder: Embedder {
    public let id = "minilm-l6-v2"
    public let dimension: Int
    /// Sequence length including `[CLS]` and `[SEP]`, as sentence-transformers' `max_seq_length`.
    public static let maxSequenceLength = 256
    /// Bytes of model weights held in memory.
    public let weightBytes: Int
    private let tokenizer: WordPieceTokenizer
    private let queue = EmbeddingQueue()

    /// Loads `config.json`, `vocab.txt` and `model.safetensors` from `modelDirectory` and starts the model thread.
    ///
    /// - Parameters:
    ///   - maxBatch: most texts embedded in one forward pass (concurrent calls are merged up to this).
    ///   - threads: OpenBLAS threads for the whole process (`openblas_set_num_threads`: attention and
    ///     every vector search; the dense layers run on the model thread alone); `nil` keeps
    ///     OpenBLAS's default (`OPENBLAS_NUM_THREADS`, else one per core). A server should pass
    ///     ``recommendedBLASThreads(cores:)``.
    /// - Throws: ``EmbeddingError`` naming the missing or damaged file and how to fetch the model.
    public init(modelDirectory: URL, maxBatch: Int = 32, threads: Int? = nil) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: modelDirectory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw EmbeddingError.modelMissing(path: modelDirectory.path)
        }
        let config = try BertConfig.load(modelDirectory.appendingPathComponent("config.json"))
        let vocabularyURL = modelDirectory.appendingPathComponent("vocab.txt")
        tokenizer = try WordPieceTokenizer(vocabulary: vocabularyURL)
        guard tokenizer.vocabularySize <= config.vocabularySize, Self.maxSequenceLength <= config.maxPositions else {
            throw EmbeddingError.modelDamaged(
                path: vocabularyURL.path, "\(tokenizer.vocabularySize) tokens for a model of vocab_size \(config.vocabularySize)")
        }
        let file = try SafeTensorsFile(url: modelDirectory.appendingPathComponent("model.safetensors"))
        let weights = try BertWeights(file: file, config: config)
        dimension = config.hiddenSize
        weightBytes = weights.byteCount
        if let threads { BLASThreads.set(threads) }

        let model = ModelHandOff(encoder: BertEncoder(weights: weights), tokenizer: tokenizer)
        let queue = self.queue
        let batchLimit = max(1, maxBatch)
        let thread = Thread {
            while let jobs = queue.takeBatch(maxTexts: batchLimit) { model.run(jobs) }
        }
        thread.name = "semcache-minilm"
        thread.start()
    }

    deinit { queue.stop() }

    /// The OpenBLAS thread count that suits a server on `cores` cores: one per two cores.
    ///
    /// Concurrent requests already share forward passes (one batch per pass), and the event loops,
    /// the vector searches and the upstream thread need the other cores. Measured on 2 cores
    /// (README, "Benchmarks"): with one BLAS thread instead of two, 32 concurrent semantic hits are
    /// served faster and exact hits beside them wait less, while a single prompt is barely slower.
    public static func recommendedBLASThreads(cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> Int {
        max(1, cores / 2)
    }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        if texts.isEmpty { return [] }
        return try await withCheckedThrowingContinuation { continuation in
            queue.submit(EmbeddingQueue.Job(texts: texts, continuation: continuation))
        }
    }

    /// The token ids the model sees for `text` (`[CLS]` … `[SEP]`, at most 256).
    public func tokenize(_ text: String) -> [Int32] {
        tokenizer.encode(text, maxLength: Self.maxSequenceLength)
    }
}

/// Hands the encoder to the model thread.
///
/// `@unchecked Sendable`: it is created by `MiniLMEmbedder.init` and from then on used only by the
/// one model thread that captures it; nothing else keeps a reference to the encoder.
private final class ModelHandOff: @unchecked Sendable {
    private let encoder: BertEncoder
    private let tokenizer: WordPieceTokenizer

    init(encoder: BertEncoder, tokenizer: WordPieceTokenizer) {
        self.encoder = encoder
        self.tokenizer = tokenizer
    }

    /// Embeds the texts of `jobs` as one batch and answers each job with its share.
    func run(_ jobs: [EmbeddingQueue.Job]) {
        let sequences = jobs.flatMap { $0.texts.map { tokenizer.encode($0, maxLength: MiniLMEmbedder.maxSequenceLength) } }
        var vectors = encoder.embed(sequences)[...]
        for job in jobs {
            job.continuation.resume(returning: Array(vectors.prefix(job.texts.count)))
            vectors = vectors.dropFirst(job.texts.count)
        }
    }
}
