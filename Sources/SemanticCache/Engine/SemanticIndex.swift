import Embedding
import VectorIndex

/// The semantic side of the cache: the embedder, and the vectors of stored prompts partitioned by
/// context key and embedder space, so a query is only ever compared with entries that share its
/// model, system prompt, tools, parameters and earlier turns, and were embedded the same way.
public final class SemanticIndex: Sendable {
    public let embedder: any Embedder
    /// Entries from another embedder id or dimension are never loaded or compared.
    public let space: VectorSpace
    let vectors = VectorIndex()

    public init(embedder: any Embedder) {
        self.embedder = embedder
        self.space = VectorSpace(embedderID: embedder.id, dimension: embedder.dimension)
    }

    /// Number of vectors held.
    public var count: Int { vectors.count }

    /// Adds the vectors collected at start-up (see ``StartupIndexScan``).
    func load(_ batch: consuming VectorBatch) {
        vectors.bulkLoad(batch)
    }

    /// The L2-normalised embedding of `text`.
    func embed(_ text: String) async throws -> [Float] {
        guard let vector = try await embedder.embed([text]).first, vector.count == space.dimension else {
            throw EmbedderMismatch(embedderID: space.embedderID, expected: space.dimension)
        }
        return vector
    }

    /// The L2-normalised embeddings of `texts` from one call to the embedder (one batched forward pass for MiniLM).
    func embed(batch texts: [String]) async throws -> [[Float]] {
        guard !texts.isEmpty else { return [] }
        let vectors = try await embedder.embed(texts)
        guard vectors.count == texts.count, vectors.allSatisfy({ $0.count == space.dimension }) else {
            throw EmbedderMismatch(embedderID: space.embedderID, expected: space.dimension)
        }
        return vectors
    }

    /// The `k` nearest stored prompts in `context`, best first.
    func nearest(_ vector: [Float], context: CacheKey, k: Int) -> [VectorMatch] {
        vectors.search(vector, context: ContextKey(context.bytes), space: space, k: k)
    }

    func insert(id: Int64, vector: [Float], context: CacheKey) {
        vectors.insert(id: id, vector: vector, context: ContextKey(context.bytes), space: space)
    }

    func remove(ids: some Sequence<Int64>) {
        for id in ids { vectors.remove(id: id) }
    }
}

/// The embedder returned a vector of the wrong size (or not one vector per text).
struct EmbedderMismatch: Error, CustomStringConvertible {
    var embedderID: String
    var expected: Int
    var description: String { "embedder \(embedderID) did not return one \(expected)-dimensional vector" }
}
