import Embedding
import Foundation

/// Embeds texts and returns L2-normalised vectors in input order.
typealias EmbedFunction = @Sendable ([String]) async throws -> [[Float]]

/// The Swift MiniLM embedder of the `Embedding` target: the one the sidecar uses.
func swiftMiniLM(modelDirectory: URL) throws -> EmbedFunction {
    let embedder = try MiniLMEmbedder(modelDirectory: modelDirectory)
    return { try await embedder.embed($0) }
}
