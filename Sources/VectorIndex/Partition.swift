/// The rows of one context and embedding space, behind a reader-writer lock: searches of the partition
/// share it, an insert or removal takes it alone.
final class Partition: Sendable {
    let key: PartitionKey
    let rows: ReadWriteLocked<RowMatrix>

    init(key: PartitionKey) {
        self.key = key
        rows = ReadWriteLocked(RowMatrix(dimension: key.space.dimension))
    }
}

/// Where a stored id lives.
struct RowLocation: Sendable {
    var partition: Partition
    var row: Int
}
