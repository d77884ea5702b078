/// The embedding space a vector lives in: which embedder made it and how many dimensions it has.
///
/// Vectors of different spaces are never compared: a MiniLM vector and a vector from another model (or the
/// same model truncated to another dimension) are stored in different partitions of a ``VectorIndex``.
public struct VectorSpace: Hashable, Sendable {
    /// A stable name of the embedder, for example `"minilm-l6-v2"`.
    public var embedderID: String
    /// The number of components of every vector in this space; must be positive.
    public var dimension: Int

    /// Creates a space from the embedder's name and its vector dimension.
    public init(embedderID: String, dimension: Int) {
        self.embedderID = embedderID
        self.dimension = dimension
    }
}
