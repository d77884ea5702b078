import VectorIndex

/// A brute-force model of the index: every stored vector in a dictionary, scored in `Double` and fully
/// sorted. The tests compare ``VectorIndex`` against it.
struct ReferenceIndex {
    private struct Stored {
        var context: ContextKey
        var space: VectorSpace
        var unit: [Double]
    }

    private var stored: [Int64: Stored] = [:]

    var count: Int { stored.count }
    var ids: [Int64] { Array(stored.keys) }

    mutating func insert(id: Int64, vector: [Float], context: ContextKey, space: VectorSpace) {
        stored[id] = Stored(context: context, space: space, unit: Self.unit(vector))
    }

    mutating func remove(id: Int64) {
        stored[id] = nil
    }

    /// All matches of the partition, best first.
    func ranking(_ query: [Float], context: ContextKey, space: VectorSpace) -> [VectorMatch] {
        let unitQuery = Self.unit(query)
        return stored.filter { $0.value.context == context && $0.value.space == space }
            .map { id, entry in
                VectorMatch(id: id, similarity: Float(zip(entry.unit, unitQuery).reduce(0) { $0 + $1.0 * $1.1 }))
            }
            .sorted { ($0.similarity, $1.id) > ($1.similarity, $0.id) }
    }

    private static func unit(_ vector: [Float]) -> [Double] {
        let values = vector.map(Double.init)
        let length = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return values.map { $0 / length }
    }
}

/// Whether `actual` is a correct top-k answer given the full reference `ranking`: the same similarities
/// (within float error) and, wherever a similarity is not tied with a neighbour, the same id.
func matchesReference(_ actual: [VectorMatch], ranking: [VectorMatch], k: Int, tolerance: Float = 1e-5) -> Bool {
    let expected = Array(ranking.prefix(k))
    guard actual.count == expected.count else { return false }
    for (position, (got, want)) in zip(actual, expected).enumerated() {
        guard abs(got.similarity - want.similarity) <= tolerance else { return false }
        let tiedBefore = position > 0 && abs(ranking[position - 1].similarity - want.similarity) <= 2 * tolerance
        let tiedAfter = position + 1 < ranking.count
            && abs(ranking[position + 1].similarity - want.similarity) <= 2 * tolerance
        if !tiedBefore && !tiedAfter && got.id != want.id { return false }
    }
    return true
}
