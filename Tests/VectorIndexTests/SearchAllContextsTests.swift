import Testing
import VectorIndex

@Suite struct SearchAllContextsTests {
    let space = VectorSpace(embedderID: "test", dimension: 3)
    let other = VectorSpace(embedderID: "other", dimension: 3)

    @Test func ranksAcrossContextsButNeverAcrossSpaces() {
        let index = VectorIndex()
        index.insert(id: 1, vector: [1, 0, 0], context: ContextKey([1]), space: space)
        index.insert(id: 2, vector: [0.9, 0.1, 0], context: ContextKey([2]), space: space)
        index.insert(id: 3, vector: [0, 1, 0], context: ContextKey([3]), space: space)
        index.insert(id: 4, vector: [1, 0, 0], context: ContextKey([1]), space: other)
        let matches = index.searchAllContexts([1, 0, 0], space: space, k: 2)
        #expect(matches.map(\.id) == [1, 2])
        #expect(index.searchAllContexts([1, 0, 0], space: space, k: 10).map(\.id) == [1, 2, 3])
        #expect(index.searchAllContexts([1, 0, 0], space: VectorSpace(embedderID: "none", dimension: 3), k: 3).isEmpty)
        #expect(index.searchAllContexts([1, 0], space: space, k: 3).isEmpty)
    }
}
