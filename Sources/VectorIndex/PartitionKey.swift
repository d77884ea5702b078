/// What separates partitions of a ``VectorIndex``: the request context and the embedding space.
struct PartitionKey: Hashable, Sendable {
    var context: ContextKey
    var space: VectorSpace
}
