import Testing
import VectorIndex

@Suite struct BadInputTests {
    private let good = [Float](repeating: 0.5, count: 16)

    @Test func invalidVectorsAreRejectedWithoutChangingTheIndex() {
        let index = VectorIndex()
        index.insert(id: 1, vector: good, context: contextA, space: miniLM)
        let rejected: [(vector: [Float], space: VectorSpace)] = [
            (Array(good.prefix(15)), miniLM),
            ([], VectorSpace(embedderID: "empty", dimension: 0)),
            ([1], VectorSpace(embedderID: "negative", dimension: -1)),
            ([Float](repeating: 0, count: 16), miniLM),
            (good.enumerated().map { $0.offset == 3 ? .nan : $0.element }, miniLM),
            (good.enumerated().map { $0.offset == 3 ? .infinity : $0.element }, miniLM),
            ([Float](repeating: .greatestFiniteMagnitude, count: 16), miniLM),
        ]
        for (vector, space) in rejected {
            #expect(!index.insert(id: 1, vector: vector, context: contextA, space: space))
        }
        #expect(index.count == 1)
        #expect(index.search(good, context: contextA, space: miniLM, k: 1).map(\.id) == [1])
    }

    @Test func invalidQueriesFindNothing() {
        let index = VectorIndex()
        index.insert(id: 1, vector: good, context: contextA, space: miniLM)
        #expect(index.search(Array(good.prefix(15)), context: contextA, space: miniLM, k: 1).isEmpty)
        #expect(index.search([Float](repeating: 0, count: 16), context: contextA, space: miniLM, k: 1).isEmpty)
        #expect(index.search(good, context: contextA, space: miniLM, k: 0).isEmpty)
        #expect(index.search(good, context: contextA, space: miniLM, k: -3).isEmpty)
        #expect(index.search([good], context: contextA, space: miniLM, k: 0) == [[]])
        #expect(index.search([[Float]](), context: contextA, space: miniLM, k: 3).isEmpty)
    }
}
