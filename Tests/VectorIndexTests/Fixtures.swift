import VectorIndex

let contextA = ContextKey(Array(repeating: 0xA, count: 32))
let contextB = ContextKey(Array(repeating: 0xB, count: 32))
let miniLM = VectorSpace(embedderID: "minilm", dimension: 16)

/// Fills an index and its reference with the same random vectors, ids `firstID..<firstID + count`.
func fill(
    _ index: VectorIndex, _ reference: inout ReferenceIndex, count: Int, firstID: Int64 = 0,
    context: ContextKey = contextA, space: VectorSpace = miniLM, using generator: inout SeededGenerator
) {
    for id in firstID..<firstID + Int64(count) {
        let vector = generator.vector(dimension: space.dimension)
        index.insert(id: id, vector: vector, context: context, space: space)
        reference.insert(id: id, vector: vector, context: context, space: space)
    }
}
