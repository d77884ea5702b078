import ArgumentParser
import Embedding
import Foundation
import SemanticCache
import Upstream

/// Which embedder computes prompt vectors for semantic hits.
struct EmbedderOptions: ParsableArguments {
    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case auto, minilm, hash, remote, none
    }

    @Option(help: "auto (minilm when its files are present, else exact hits only), minilm, hash, remote or none (SEMCACHE_EMBEDDER).")
    var embedder: Kind?

    @Option(help: "Directory with config.json, vocab.txt, model.safetensors (SEMCACHE_MODEL_DIR). Default: the first that has them of $XDG_DATA_HOME/semcache/models/all-MiniLM-L6-v2 (~/.local/share/…, filled by `make model`), models/all-MiniLM-L6-v2 next to the binary, the models/ directory of the checkout it was built in.")
    var modelDir: String?

    @Option(help: "Base URL of an OpenAI-compatible embeddings API for --embedder remote, e.g. http://127.0.0.1:11434/v1 (SEMCACHE_REMOTE_EMBEDDINGS_URL). Its key, if any, comes from SEMCACHE_REMOTE_EMBEDDINGS_API_KEY.")
    var remoteEmbeddingsURL: String?

    @Option(help: "Model name for --embedder remote (SEMCACHE_REMOTE_EMBEDDINGS_MODEL).")
    var remoteEmbeddingsModel: String?

    @Option(help: "With MiniLM: OpenBLAS threads for its attention and the vector search (SEMCACHE_BLAS_THREADS). Default: one per two cores.")
    var blasThreads: Int?

    /// Flags are checked before any file is looked for, so a wrong flag is named as such.
    func validate() throws {
        if let blasThreads, blasThreads < 1 { throw ValidationError("--blas-threads must be at least 1, got \(blasThreads)") }
    }

    var kind: Kind { embedder ?? Environment.value("SEMCACHE_EMBEDDER").flatMap(Kind.init(rawValue:)) ?? .auto }

    /// Where the MiniLM files are looked for.
    var modelLocation: MiniLMModelLocation {
        MiniLMModelLocation(
            explicit: modelDir ?? Environment.value("SEMCACHE_MODEL_DIR"), environment: ProcessInfo.processInfo.environment,
            executable: Bundle.main.executableURL)
    }

    /// The embedder, and one line saying what was chosen (for the start-up line).
    func makeEmbedder(client: UpstreamClient) async throws -> (embedder: (any Embedder)?, summary: String) {
        switch kind {
        case .none:
            return (nil, "semantic hits off (--embedder none)")
        case .auto:
            let location = modelLocation
            guard let directory = location.found() else { return (nil, "semantic hits off: \(location.notFoundMessage)") }
            return try minilm(directory)
        case .minilm:
            let location = modelLocation
            guard let directory = location.found() else { throw CommandFailure("--embedder minilm: \(location.notFoundMessage)") }
            return try minilm(directory)
        case .hash:
            let hash = HashEmbedder()
            return (hash, "semantic hits with the \(hash.id) lexical fallback embedder (character n-grams: near-identical wording only)")
        case .remote:
            guard let url = remoteEmbeddingsURL ?? Environment.value("SEMCACHE_REMOTE_EMBEDDINGS_URL"),
                  let model = remoteEmbeddingsModel ?? Environment.value("SEMCACHE_REMOTE_EMBEDDINGS_MODEL")
            else {
                throw ValidationError("--embedder remote needs --remote-embeddings-url and --remote-embeddings-model")
            }
            let remote = try await RemoteEmbedder(
                baseURL: url, model: model, apiKey: Environment.value("SEMCACHE_REMOTE_EMBEDDINGS_API_KEY"),
                dimension: nil, timeout: .seconds(10), transport: UpstreamEmbeddingTransport(client: client)
            ).probingDimension()
            return (remote, "semantic hits with \(remote.id) (\(remote.dimension) dimensions)")
        }
    }

    private func minilm(_ directory: URL) throws -> (embedder: (any Embedder)?, summary: String) {
        let (threads, origin) = try blasThreadCount()
        let started = ContinuousClock.now
        let model: MiniLMEmbedder
        do { model = try MiniLMEmbedder(modelDirectory: directory, threads: threads) } catch { throw CommandFailure("\(error)") }
        let elapsed = ContinuousClock.now - started
        return (model, "semantic hits with \(model.id) from \(directory.path) (loaded in \(elapsed.formatted(.units(allowed: [.milliseconds])))); "
            + "BLAS threads: \(threads) (\(origin))")
    }

    /// `--blas-threads`, else `SEMCACHE_BLAS_THREADS`, else the recommended count; with where it came from.
    private func blasThreadCount() throws -> (count: Int, origin: String) {
        if let blasThreads { return (blasThreads, "--blas-threads") }
        if let text = Environment.value("SEMCACHE_BLAS_THREADS") {
            guard let count = Int(text), count > 0 else { throw ValidationError("SEMCACHE_BLAS_THREADS must be a positive integer, got \(text)") }
            return (count, "SEMCACHE_BLAS_THREADS")
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        return (MiniLMEmbedder.recommendedBLASThreads(cores: cores), "default: one per two cores, \(cores) cores")
    }
}
