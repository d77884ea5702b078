/// An in-memory index of unit-length `Float` vectors for cosine-similarity search, partitioned by
/// request context and embedding space.
///
/// Each partition (one ``ContextKey`` × one ``VectorSpace``) is one contiguous row-major matrix; a
/// search scores the query against every row of its partition with `cblas_sgemv` (several queries
/// at once: `cblas_sgemm`) and keeps the best `k` in a `k`-sized heap. Vectors are normalised when
/// stored and queries when searched, so the similarity is the dot product. Vectors of other contexts or
/// other spaces are never compared. Entries are identified by a caller-given `Int64` (the SQLite rowid).
///
/// ## Bad input
/// Nothing here traps on bad input. A vector whose count differs from `space.dimension`, a space whose
/// dimension is outside `1...65_536`, and a vector that cannot be normalised (all zeros, NaN or
/// infinite components) are rejected: `insert` returns `false` and changes nothing, `search` returns
/// no matches. `k <= 0` returns no matches; `k` larger than the partition returns all its rows.
///
/// ## Concurrency
/// All methods may be called from any thread at the same time.
/// - Each partition has a reader-writer lock (writer-preferring on glibc). A search holds it shared
///   while it scores one chunk of 32 768 rows, then lets waiting writers in before the next chunk, so
///   searches run in parallel with each other and an insert or removal (O(dimension) work under the
///   exclusive lock) waits at most for one chunk's scoring, however large the partition. An insert that
///   must grow the matrix copies it under the shared lock, beside searches, and takes the exclusive
///   lock only to swap the copy in. The price: a search running during removals in its partition may
///   miss a row that a removal moved into the part it had already scored (fewer matches, never a
///   vector reported under another id), or report an id removed after its row was scored; callers
///   look the id up in the store anyway. Searches and writes of other partitions never wait for each
///   other.
/// - Writers (insert, remove, bulk load) are serialised by one more lock that guards the
///   id → (partition, row) map, which keeps each id in exactly one row.
/// - The map from partition key to partition has its own lock, held only for a dictionary lookup.
///   A search that has looked up a partition keeps it alive even if a writer drops it (when its last
///   row goes); it then just finds the rows that were left, possibly none.
public final class VectorIndex: Sendable {
    /// The largest dimension a ``VectorSpace`` may have.
    public static let maximumDimension = 65_536

    private let partitions = ReadWriteLocked<[PartitionKey: Partition]>([:])
    private let locations = ReadWriteLocked<[Int64: RowLocation]>([:])

    /// An empty index.
    public init() {}

    static func isSupported(_ space: VectorSpace) -> Bool {
        (1...maximumDimension).contains(space.dimension)
    }

    // MARK: Reading

    /// The number of stored vectors.
    public var count: Int { locations.read { $0.count } }

    /// The number of non-empty partitions (context × space pairs).
    public var partitionCount: Int { partitions.read { $0.count } }

    /// Whether a vector with this id is stored.
    public func contains(id: Int64) -> Bool { locations.read { $0[id] != nil } }

    /// Bytes used by the matrices, the id columns and the id map, counting spare capacity.
    public var memoryBytes: Int {
        let matrices = partitions.read { partitions in
            partitions.values.reduce(0) { total, partition in total + partition.rows.read { $0.memoryBytes } }
        }
        let map = locations.read { $0.capacity * (MemoryLayout<Int64>.stride + MemoryLayout<RowLocation>.stride + 1) }
        return matrices + map
    }

    /// The `k` stored vectors of `context` and `space` most similar to `query`, best first (equal
    /// similarities: smaller id first). Empty when the query is invalid (see the type's documentation).
    public func search(_ query: [Float], context: ContextKey, space: VectorSpace, k: Int) -> [VectorMatch] {
        guard k > 0, Self.isSupported(space),
            let query = VectorNormalization.normalized(query, dimension: space.dimension),
            let partition = partition(context: context, space: space)
        else { return [] }
        return partition.topMatches(for: query, k: k)
    }

    /// ``search(_:context:space:k:)`` for several queries at once, scored together with `cblas_sgemm`
    /// (faster than one search per query). `result[i]` belongs to `queries[i]`; an invalid query gets
    /// an empty result without affecting the others.
    public func search(_ queries: [[Float]], context: ContextKey, space: VectorSpace, k: Int) -> [[VectorMatch]] {
        var results = [[VectorMatch]](repeating: [], count: queries.count)
        guard k > 0, Self.isSupported(space), let partition = partition(context: context, space: space) else {
            return results
        }
        var validPositions: [Int] = []
        var stacked: [Float] = []
        for (position, query) in queries.enumerated() {
            guard let normalized = VectorNormalization.normalized(query, dimension: space.dimension) else { continue }
            validPositions.append(position)
            stacked.append(contentsOf: normalized)
        }
        guard !validPositions.isEmpty else { return results }
        let matches = partition.topMatches(forQueries: stacked, queryCount: validPositions.count, k: k)
        for (position, queryMatches) in zip(validPositions, matches) {
            results[position] = queryMatches
        }
        return results
    }

    /// The `k` vectors of `space` most similar to `query` across **every** context, best first.
    /// For operators looking through the cache (`semcache search`), never for cache hits, which
    /// only ever compare within one context.
    public func searchAllContexts(_ query: [Float], space: VectorSpace, k: Int) -> [VectorMatch] {
        guard k > 0, Self.isSupported(space),
            let query = VectorNormalization.normalized(query, dimension: space.dimension)
        else { return [] }
        let matching = partitions.read { $0.filter { $0.key.space == space }.map(\.value) }
        let candidates = matching.flatMap { $0.topMatches(for: query, k: k) }
        return Array(candidates.sorted { ($0.similarity, $1.id) > ($1.similarity, $0.id) }.prefix(k))
    }

    private func partition(context: ContextKey, space: VectorSpace) -> Partition? {
        partitions.read { $0[PartitionKey(context: context, space: space)] }
    }

    // MARK: Writing

    /// Stores `vector` (normalised on the way in) under `id` in the partition of `context` and `space`,
    /// replacing the vector stored under `id` before, wherever it was. Returns `false`, changing nothing,
    /// when the vector is invalid (see the type's documentation).
    @discardableResult
    public func insert(id: Int64, vector: [Float], context: ContextKey, space: VectorSpace) -> Bool {
        guard Self.isSupported(space),
            let row = VectorNormalization.normalized(vector, dimension: space.dimension)
        else { return false }
        let key = PartitionKey(context: context, space: space)
        locations.write { locations in store(id: id, normalized: row, key: key, locations: &locations) }
        return true
    }

    /// Removes the vector stored under `id`, in O(dimension): the partition's last row moves into the
    /// hole. Returns whether there was one. A partition whose last row goes is dropped.
    @discardableResult
    public func remove(id: Int64) -> Bool {
        locations.write { locations in
            guard let location = locations.removeValue(forKey: id) else { return false }
            detach(location, locations: &locations)
            return true
        }
    }

    /// Removes every vector whose id satisfies `shouldRemove`.
    public func removeAll(where shouldRemove: (Int64) -> Bool) {
        locations.write { locations in
            for id in locations.keys.filter(shouldRemove) {
                if let location = locations.removeValue(forKey: id) {
                    detach(location, locations: &locations)
                }
            }
        }
    }

    /// Removes every vector and partition.
    public func removeAll() {
        locations.write { locations in
            locations.removeAll()
            partitions.write { $0.removeAll() }
        }
    }

    /// Adds every vector of `batch`, appending each group of rows to its partition at once (a new
    /// partition adopts the batch's matrix without copying it; pass the batch with `consume` so it is
    /// not copied either). An id that is already stored, or that occurs more than once in the batch, is
    /// stored once: as an insert, it replaces the earlier vector.
    public func bulkLoad(_ batch: consuming VectorBatch) {
        let groups = batch.allGroups
        batch = VectorBatch()
        locations.write { locations in
            locations.reserveCapacity(locations.count + groups.values.reduce(0) { $0 + $1.rowCount })
            for (key, group) in groups where group.rowCount > 0 {  // a group may only have been reserved
                load(group, into: key, locations: &locations)
            }
        }
    }

    // MARK: Writing, with the locations lock held

    private func load(_ group: RowMatrix, into key: PartitionKey, locations: inout [Int64: RowLocation]) {
        let partition = partitionForWriting(key)
        let firstRow = partition.rows.read { $0.rowCount }
        var fresh: [Int] = []
        var repeated: [Int] = []
        fresh.reserveCapacity(group.rowCount)
        for (row, id) in group.ids.enumerated() {
            if locations[id] == nil {
                locations[id] = RowLocation(partition: partition, row: firstRow + fresh.count)
                fresh.append(row)
            } else {
                repeated.append(row)
            }
        }
        if firstRow > 0 { partition.reserveRows(fresh.count) }  // an empty partition adopts the group's rows
        partition.rows.write { rows in
            _ = repeated.isEmpty ? rows.append(contentsOf: group) : rows.append(rows: fresh, of: group)
        }
        let dimension = key.space.dimension
        for row in repeated {
            let vector = Array(group.values[row * dimension ..< (row + 1) * dimension])
            store(id: group.ids[row], normalized: vector, key: key, locations: &locations)
        }
    }

    private func store(id: Int64, normalized row: [Float], key: PartitionKey, locations: inout [Int64: RowLocation]) {
        if let old = locations[id] {
            if old.partition.key == key {
                old.partition.rows.write { $0.overwrite(row: old.row, with: row) }
                return
            }
            locations[id] = nil
            detach(old, locations: &locations)
        }
        let partition = partitionForWriting(key)
        partition.reserveRows(1)
        let index = partition.rows.write { $0.append(id: id, normalized: row) }
        locations[id] = RowLocation(partition: partition, row: index)
    }

    /// Removes the row at `location` (whose id is already out of `locations`), fixes the location of the
    /// row moved into its place, and drops the partition when it is empty.
    private func detach(_ location: RowLocation, locations: inout [Int64: RowLocation]) {
        let (movedID, remaining) = location.partition.rows.write { rows in
            (rows.swapRemove(row: location.row), rows.rowCount)
        }
        if let movedID {
            locations[movedID]?.row = location.row
        }
        if remaining == 0 {
            partitions.write { partitions in
                if partitions[location.partition.key] === location.partition {
                    partitions[location.partition.key] = nil
                }
            }
        }
    }

    private func partitionForWriting(_ key: PartitionKey) -> Partition {
        if let existing = partitions.read({ $0[key] }) { return existing }
        let created = Partition(key: key)
        partitions.write { $0[key] = created }
        return created
    }
}
