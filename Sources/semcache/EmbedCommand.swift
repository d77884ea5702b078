import ArgumentParser
import Embedding
import Foundation

/// `semcache embed "text"`: shows the token ids and the vector an embedder makes for one text,
/// to check the model files and compare with other implementations.
struct EmbedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Print the token ids and the embedding of a text.",
        discussion: """
            minilm (default) needs config.json, vocab.txt and model.safetensors of all-MiniLM-L6-v2 in \
            --model-dir (fetch them with `make model`); hash needs no files.
            """
    )

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case minilm, hash, remote
    }

    @Argument(help: "The text to embed.")
    var text: String

    @Option(help: "Which embedder: minilm, hash or remote.")
    var embedder: Kind = .minilm

    @Option(help: "Directory with the MiniLM files (default: $SEMCACHE_MODEL_DIR or models/all-MiniLM-L6-v2).")
    var modelDir: String?

    @Option(help: "Base URL of an OpenAI-compatible embeddings API, for --embedder remote.")
    var remoteURL: String?

    @Option(help: "Model name to request, for --embedder remote.")
    var remoteModel: String?

    @Flag(help: "Print {\"embedder\", \"input_ids\", \"embedding\"} as JSON.")
    var json = false

    func run() async throws {
        let (vector, ids, id) = try await embed()
        if json {
            var fields = ["\"embedder\": \"\(id)\""]
            if let ids { fields.append("\"input_ids\": [\(ids.map(String.init).joined(separator: ", "))]") }
            fields.append("\"embedding\": [\(vector.map { "\($0)" }.joined(separator: ", "))]")
            print("{" + fields.joined(separator: ", ") + "}")
        } else {
            print("embedder: \(id) (\(vector.count) dimensions)")
            if let ids { print("input_ids (\(ids.count)): \(ids.map(String.init).joined(separator: " "))") }
            print("embedding: \(vector.map { String(format: "%.6f", $0) }.joined(separator: " "))")
        }
    }

    private func embed() async throws -> (vector: [Float], ids: [Int32]?, id: String) {
        switch embedder {
        case .minilm:
            let directory = modelDir ?? ProcessInfo.processInfo.environment["SEMCACHE_MODEL_DIR"] ?? "models/all-MiniLM-L6-v2"
            let model = try MiniLMEmbedder(modelDirectory: URL(fileURLWithPath: directory), maxBatch: 1)
            return (try await model.embed([text])[0], model.tokenize(text), model.id)
        case .hash:
            let model = HashEmbedder()
            return (try await model.embed([text])[0], nil, model.id)
        case .remote:
            guard remoteURL != nil, remoteModel != nil else {
                throw ValidationError("--embedder remote needs --remote-url and --remote-model")
            }
            throw ValidationError("--embedder remote is not wired into `semcache embed` in this build (its libcurl transport lives in the server layer); use --embedder minilm or hash")
        }
    }
}
