import ArgumentParser
import Embedding
import Foundation
import Upstream

/// `semcache embed "text"`: shows the token ids and the vector an embedder makes for one text,
/// to check the model files and compare with other implementations.
struct EmbedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Print the token ids and the embedding of a text.",
        discussion: """
            minilm (the default) needs config.json, vocab.txt and model.safetensors of all-MiniLM-L6-v2 in \
            --model-dir or a standard place (see --model-dir; `make model` fetches them); hash needs no files; remote calls an OpenAI-compatible \
            embeddings API.
            """
    )

    @Argument(help: "The text to embed.")
    var text: String

    @OptionGroup var embedderOptions: EmbedderOptions

    @Flag(help: "Print {\"embedder\", \"input_ids\", \"embedding\"} as JSON.")
    var json = false

    func run() async throws {
        let client = try UpstreamClient()
        defer { client.shutdown() }
        var options = embedderOptions
        if options.kind == .auto || options.kind == .none { options.embedder = .minilm }
        guard let embedder = try await options.makeEmbedder(client: client).embedder else { return }
        let vector = try await embedder.embed([text])[0]
        let ids = (embedder as? MiniLMEmbedder)?.tokenize(text)
        if json {
            var fields = ["\"embedder\": \"\(embedder.id)\""]
            if let ids { fields.append("\"input_ids\": [\(ids.map(String.init).joined(separator: ", "))]") }
            fields.append("\"embedding\": [\(vector.map { "\($0)" }.joined(separator: ", "))]")
            print("{" + fields.joined(separator: ", ") + "}")
        } else {
            print("embedder: \(embedder.id) (\(vector.count) dimensions)")
            if let ids { print("input_ids (\(ids.count)): \(ids.map(String.init).joined(separator: " "))") }
            print("embedding: \(vector.map { String(format: "%.6f", $0) }.joined(separator: " "))")
        }
    }
}
