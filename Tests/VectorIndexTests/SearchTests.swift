import Testing
import VectorIndex

@Suite struct SearchTests {
    @Test(arguments: [1, 10, 100, 70_000])
    func topKMatchesBruteForce(rows: Int) {
        var generator = SeededGenerator(seed: UInt64(rows))
        let space = VectorSpace(embedderID: "test", dimension: rows > 1_000 ? 4 : 37)  // 70 000 rows: three chunks
        let index = VectorIndex()
        var reference = ReferenceIndex()
        fill(index, &reference, count: rows, space: space, using: &generator)
        for k in [1, 5, 50] {
            for _ in 0..<5 {
                let query = generator.vector(dimension: space.dimension)
                let matches = index.search(query, context: contextA, space: space, k: k)
                let ranking = reference.ranking(query, context: contextA, space: space)
                #expect(matchesReference(matches, ranking: ranking, k: k))
            }
        }
    }

    @Test func batchSearchEqualsSingleSearch() {
        var generator = SeededGenerator(seed: 7)
        let index = VectorIndex()
        var reference = ReferenceIndex()
        fill(index, &reference, count: 3_000, using: &generator)
        var queries = (0..<9).map { _ in generator.vector(dimension: miniLM.dimension) }
        queries.insert([1, 2, 3], at: 4)  // wrong dimension: its own result is empty, the others unaffected
        let batch = index.search(queries, context: contextA, space: miniLM, k: 10)
        #expect(batch.count == queries.count)
        #expect(batch[4].isEmpty)
        for (query, batchMatches) in zip(queries, batch) where query.count == miniLM.dimension {
            let single = index.search(query, context: contextA, space: miniLM, k: 10)
            let ranking = reference.ranking(query, context: contextA, space: miniLM)
            #expect(batchMatches.map(\.id) == single.map(\.id))
            #expect(matchesReference(batchMatches, ranking: ranking, k: 10))
        }
    }

    /// Enough queries × rows that the batched search scores the partition in several sgemm blocks.
    @Test func batchSearchOverSeveralBlocksEqualsReference() {
        var generator = SeededGenerator(seed: 8)
        let space = VectorSpace(embedderID: "narrow", dimension: 4)
        let index = VectorIndex()
        var reference = ReferenceIndex()
        fill(index, &reference, count: 20_000, space: space, using: &generator)
        let queries = (0..<300).map { _ in generator.vector(dimension: space.dimension) }
        let batch = index.search(queries, context: contextA, space: space, k: 3)
        for (query, matches) in zip(queries.prefix(20), batch) {
            #expect(matchesReference(matches, ranking: reference.ranking(query, context: contextA, space: space), k: 3))
        }
        for (query, matches) in zip(queries, batch) {
            let single = index.search(query, context: contextA, space: space, k: 3)
            #expect(matches.count == single.count)
            #expect(zip(matches, single).allSatisfy { abs($0.similarity - $1.similarity) <= 1e-5 })
        }
    }

    @Test func partitionsIsolateContextsAndSpaces() {
        let otherEmbedder = VectorSpace(embedderID: "other", dimension: miniLM.dimension)
        let otherDimension = VectorSpace(embedderID: miniLM.embedderID, dimension: 8)
        let vector = [Float](repeating: 1, count: 16)
        let index = VectorIndex()
        index.insert(id: 1, vector: vector, context: contextA, space: miniLM)
        index.insert(id: 2, vector: vector, context: contextB, space: miniLM)
        index.insert(id: 3, vector: vector, context: contextA, space: otherEmbedder)
        index.insert(id: 4, vector: Array(vector.prefix(8)), context: contextA, space: otherDimension)
        #expect(index.partitionCount == 4)
        #expect(index.search(vector, context: contextA, space: miniLM, k: 10).map(\.id) == [1])
        #expect(index.search(vector, context: contextB, space: miniLM, k: 10).map(\.id) == [2])
        #expect(index.search(vector, context: contextA, space: otherEmbedder, k: 10).map(\.id) == [3])
        #expect(index.search(Array(vector.prefix(8)), context: contextA, space: otherDimension, k: 10).map(\.id) == [4])
        #expect(index.search(vector, context: ContextKey([1, 2, 3]), space: miniLM, k: 10).isEmpty)
    }

    @Test func similarityIsCosineWhateverTheLengths() throws {
        let index = VectorIndex()
        let space = VectorSpace(embedderID: "plane", dimension: 2)
        index.insert(id: 1, vector: [3, 0], context: contextA, space: space)
        index.insert(id: 2, vector: [0, 0.5], context: contextA, space: space)
        let matches = index.search([10, 10], context: contextA, space: space, k: 2)
        try #require(matches.count == 2)
        #expect(abs(matches[0].similarity - Float(0.5).squareRoot()) < 1e-6)
        #expect(abs(matches[1].similarity - Float(0.5).squareRoot()) < 1e-6)
        #expect(matches.map(\.id) == [1, 2])  // a tie: smaller id first
        let opposite = index.search([-1, 0], context: contextA, space: space, k: 1)
        #expect(opposite.map(\.id) == [2])
        #expect(abs((opposite.first?.similarity ?? 1) - 0) < 1e-6)
    }

    @Test func kLargerThanRowsReturnsEveryRow() {
        var generator = SeededGenerator(seed: 3)
        let index = VectorIndex()
        var reference = ReferenceIndex()
        fill(index, &reference, count: 7, using: &generator)
        let query = generator.vector(dimension: miniLM.dimension)
        let matches = index.search(query, context: contextA, space: miniLM, k: 1_000)
        #expect(matches.count == 7)
        #expect(matchesReference(matches, ranking: reference.ranking(query, context: contextA, space: miniLM), k: 1_000))
        #expect(index.search([query], context: contextA, space: miniLM, k: .max).first?.count == 7)
    }

    @Test func emptyIndexFindsNothing() {
        let index = VectorIndex()
        let query = [Float](repeating: 0.25, count: 16)
        #expect(index.search(query, context: contextA, space: miniLM, k: 5).isEmpty)
        #expect(index.search([query, query], context: contextA, space: miniLM, k: 5) == [[], []])
        #expect(index.count == 0)
        #expect(index.partitionCount == 0)
        #expect(index.memoryBytes == 0)
    }
}
