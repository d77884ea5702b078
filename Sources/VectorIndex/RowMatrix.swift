/// The rows of one partition: a contiguous row-major `Float` matrix (`rowCount × dimension`) and the
/// caller's id of each row. Not synchronised; ``VectorIndex`` guards each one with a lock.
struct RowMatrix: Sendable {
    /// Components per row.
    let dimension: Int
    /// Row-major values; `values.count == rowCount * dimension`.
    private(set) var values: [Float] = []
    /// `ids[row]` is the caller's id of that row.
    private(set) var ids: [Int64] = []

    init(dimension: Int) {
        self.dimension = dimension
    }

    var rowCount: Int { ids.count }

    /// Bytes held by the matrix and the id column, counting spare capacity.
    var memoryBytes: Int {
        values.capacity * MemoryLayout<Float>.stride + ids.capacity * MemoryLayout<Int64>.stride
    }

    /// Appends a row from the raw bytes of `dimension` native-endian `Float`s (no alignment needed),
    /// normalising it to unit length. Returns the new row's index, or `nil` (nothing appended) when the
    /// byte count is wrong or the vector cannot be normalised.
    mutating func append(id: Int64, float32Bytes bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count == dimension * MemoryLayout<Float>.size else { return nil }
        reserveRows(1)
        let start = values.count
        values.append(contentsOf: repeatElement(0, count: dimension))
        let valid = values.withUnsafeMutableBufferPointer { all in
            let row = UnsafeMutableBufferPointer(rebasing: all[start...])
            UnsafeMutableRawBufferPointer(row).copyMemory(from: bytes)
            return VectorNormalization.normalizeInPlace(row)
        }
        guard valid else {
            values.removeLast(dimension)
            return nil
        }
        ids.append(id)
        return ids.count - 1
    }

    /// Appends an already normalised row of `dimension` values. Returns its index.
    mutating func append(id: Int64, normalized row: [Float]) -> Int {
        reserveRows(1)
        values.append(contentsOf: row)
        ids.append(id)
        return ids.count - 1
    }

    /// Appends all rows of `other` (same dimension) and returns the index of the first one. An empty
    /// matrix adopts `other`'s storage instead of copying it.
    mutating func append(contentsOf other: RowMatrix) -> Int {
        if rowCount == 0 {
            self = other
            return 0
        }
        let first = rowCount
        reserveRows(other.rowCount)
        values.append(contentsOf: other.values)
        ids.append(contentsOf: other.ids)
        return first
    }

    /// Appends the given rows of `other` (same dimension) and returns the index of the first one.
    mutating func append(rows: [Int], of other: RowMatrix) -> Int {
        let first = rowCount
        reserveRows(rows.count)
        for row in rows {
            values.append(contentsOf: other.values[row * dimension ..< (row + 1) * dimension])
            ids.append(other.ids[row])
        }
        return first
    }

    /// Replaces the values of `row` with an already normalised row.
    mutating func overwrite(row: Int, with normalized: [Float]) {
        values.replaceSubrange(row * dimension ..< (row + 1) * dimension, with: normalized)
    }

    /// Removes `row` in O(dimension) by moving the last row into its place. Returns the id of the row
    /// that now sits at `row`, or `nil` when the removed row was the last one.
    mutating func swapRemove(row: Int) -> Int64? {
        let last = rowCount - 1
        var moved: Int64?
        if row != last {
            values.withUnsafeMutableBufferPointer { all in
                let source = UnsafeMutableBufferPointer(rebasing: all[last * dimension ..< (last + 1) * dimension])
                let target = UnsafeMutableBufferPointer(rebasing: all[row * dimension ..< (row + 1) * dimension])
                _ = target.update(fromContentsOf: source)
            }
            ids[row] = ids[last]
            moved = ids[row]
        }
        values.removeLast(dimension)
        ids.removeLast()
        return moved
    }

    /// Makes room for `additional` more rows, growing capacity by at least half each time so appends
    /// stay amortised O(dimension) while the spare capacity stays below 50 %.
    private mutating func reserveRows(_ additional: Int) {
        if let rows = grownCapacity(adding: additional) { reserveCapacity(rows: rows) }
    }

    /// The capacity, in rows, to grow to before `additional` more rows are appended, or `nil` when they fit.
    private func grownCapacity(adding additional: Int) -> Int? {
        let neededRows = rowCount + additional
        guard values.capacity < neededRows * dimension || ids.capacity < neededRows else { return nil }
        return max(neededRows, ids.capacity + ids.capacity / 2, 16)
    }

    /// A copy of these rows with room for `additional` more (grown as appending would grow it), or `nil`
    /// when they fit already. Non-mutating, so that it can run under a shared lock (``Partition/reserveRows(_:)``).
    func grownCopy(adding additional: Int) -> RowMatrix? {
        guard let rows = grownCapacity(adding: additional) else { return nil }
        var grown = RowMatrix(dimension: dimension)
        grown.reserveCapacity(rows: rows)
        grown.values.append(contentsOf: values)
        grown.ids.append(contentsOf: ids)
        return grown
    }

    /// Makes room for `rows` rows in all, allocating exactly that when it has to grow. A large new
    /// buffer is faulted in on another thread meanwhile (``PagePrefault``).
    mutating func reserveCapacity(rows: Int) {
        guard values.capacity < rows * dimension || ids.capacity < rows else { return }
        values.reserveCapacity(rows * dimension)
        ids.reserveCapacity(rows)
        let capacityBytes = values.capacity * MemoryLayout<Float>.stride
        values.withUnsafeMutableBytes { bytes in
            if let start = bytes.baseAddress { PagePrefault.populate(start, capacityBytes: capacityBytes) }
        }
    }
}
