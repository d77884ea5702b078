/// Vectors collected for ``VectorIndex/bulkLoad(_:)``, grouped by context and space into the matrices
/// the index will adopt: the start-up path appends every stored row here, then loads them at once.
///
/// Vectors are validated and normalised as they are appended, with the same rules as
/// ``VectorIndex/insert(id:vector:context:space:)``.
public struct VectorBatch: Sendable {
    private var groups: [PartitionKey: RowMatrix] = [:]
    /// The partition of the last row and its group, held outside `groups` so that appending to it
    /// needs no lookup.
    private var currentKey: PartitionKey?
    private var currentRows = RowMatrix(dimension: 0)

    /// An empty batch.
    public init() {}

    /// The number of vectors appended and accepted so far.
    public private(set) var count = 0

    /// Makes room for `rows` vectors of `context` and `space` in all, so appending them allocates the
    /// partition's matrix once instead of growing it (a start-up load of 1M rows touches a third of the
    /// memory). A hint only: more rows may still be appended. Ignored for an unsupported space; hints
    /// above ``maximumReservedRows`` reserve that many.
    public mutating func reserveCapacity(_ rows: Int, context: ContextKey, space: VectorSpace) {
        guard VectorIndex.isSupported(space), rows > 0 else { return }
        putBackCurrent()
        groups[PartitionKey(context: context, space: space), default: RowMatrix(dimension: space.dimension)]
            .reserveCapacity(rows: min(rows, Self.maximumReservedRows))
    }

    /// The most rows ``reserveCapacity(_:context:space:)`` reserves for one partition, so that a wrong
    /// hint (a corrupt count) cannot ask for an absurd allocation.
    public static let maximumReservedRows = 1 << 24

    /// Appends a vector given as raw bytes of `space.dimension` native-endian `Float32`s (for example a
    /// SQLite BLOB; no alignment needed). Returns `false`, appending nothing, when the byte count does
    /// not match the space or the vector cannot be normalised (zero, NaN or infinite components).
    @discardableResult
    public mutating func append(
        id: Int64, float32Bytes bytes: UnsafeRawBufferPointer, context: ContextKey, space: VectorSpace
    ) -> Bool {
        guard VectorIndex.isSupported(space) else { return false }
        let key = PartitionKey(context: context, space: space)
        // Consecutive rows mostly share a partition: keep appending to the group taken out for the
        // previous row, and only hash the key when it changes (a context key passed again is
        // usually the same array, which compares equal without reading its bytes).
        if currentKey != key {
            putBackCurrent()
            currentRows = groups.removeValue(forKey: key) ?? RowMatrix(dimension: space.dimension)
            currentKey = key
        }
        let accepted = currentRows.append(id: id, float32Bytes: bytes) != nil
        if accepted { count += 1 }
        return accepted
    }

    /// The groups by partition, including the one rows are being appended to.
    var allGroups: [PartitionKey: RowMatrix] {
        mutating get {
            putBackCurrent()
            return groups
        }
    }

    private mutating func putBackCurrent() {
        guard let key = currentKey else { return }
        groups[key] = currentRows
        currentRows = RowMatrix(dimension: 0)
        currentKey = nil
    }

    /// Appends a vector of `space.dimension` values; see ``append(id:float32Bytes:context:space:)``.
    @discardableResult
    public mutating func append(id: Int64, vector: [Float], context: ContextKey, space: VectorSpace) -> Bool {
        vector.withUnsafeBytes { append(id: id, float32Bytes: $0, context: context, space: space) }
    }
}
