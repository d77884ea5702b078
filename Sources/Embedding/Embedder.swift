/// Turns texts into L2-normalised vectors.
///
/// Every stored vector is kept beside the ``id`` and ``dimension`` of the embedder that made it;
/// vectors made by a different id or dimension are never compared with each other.
public protocol Embedder: Sendable {
    /// Stable identifier stored beside every vector, e.g. `"minilm-l6-v2"`, `"hash-ngram-v1"`, `"remote:<model>"`.
    var id: String { get }
    /// Number of components of every vector this embedder returns.
    var dimension: Int { get }
    /// Embeds `texts` and returns one L2-normalised vector per text, in the order of `texts`.
    func embed(_ texts: [String]) async throws -> [[Float]]
}
