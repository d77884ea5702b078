/// One result of a ``VectorIndex`` search.
public struct VectorMatch: Hashable, Sendable {
    /// The caller-given id of the stored vector (the SQLite rowid of its entry).
    public var id: Int64
    /// The cosine similarity between the query and the stored vector, in [-1, 1].
    public var similarity: Float

    /// Creates a match.
    public init(id: Int64, similarity: Float) {
        self.id = id
        self.similarity = similarity
    }
}
