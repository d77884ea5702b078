import Foundation

/// Embeds texts and returns L2-normalised vectors in input order.
typealias EmbedFunction = @Sendable ([String]) async throws -> [[Float]]

/// The Swift MiniLM embedder of the `Embedding` target.
///
/// Wiring (once `MiniLMEmbedder` is merged into `Embedding`): replace the body with
/// ```swift
/// let embedder = try MiniLMEmbedder(modelDirectory: modelDirectory)
/// return { try await embedder.embed($0) }
/// ```
/// and add `import Embedding` at the top of this file.
func swiftMiniLM(modelDirectory: URL) throws -> EmbedFunction {
    throw QualityError(
        "the Swift MiniLM embedder is not wired in yet (see SwiftMiniLM.swift); "
            + "pass --embeddings bench/quality/.cache/embeddings.bin written by bench/quality/embed.py")
}
