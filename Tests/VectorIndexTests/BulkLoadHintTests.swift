import Testing
import VectorIndex

@Suite struct BulkLoadHintTests {
    /// A capacity hint changes how memory is reserved, never what is stored; an absurd hint is capped.
    @Test func capacityHintsDoNotChangeContents() {
        var generator = SeededGenerator(seed: 15)
        var batch = VectorBatch()
        batch.reserveCapacity(50, context: contextA, space: miniLM)
        batch.reserveCapacity(.max, context: contextB, space: VectorSpace(embedderID: "bad", dimension: 0))
        batch.reserveCapacity(-1, context: contextB, space: miniLM)
        batch.reserveCapacity(10, context: contextB, space: miniLM)  // reserved, never filled: no partition
        var reference = ReferenceIndex()
        for id in Int64(0)..<80 {
            let vector = generator.vector(dimension: miniLM.dimension)
            batch.append(id: id, vector: vector, context: contextA, space: miniLM)
            reference.insert(id: id, vector: vector, context: contextA, space: miniLM)
        }
        let index = VectorIndex()
        index.bulkLoad(batch)
        #expect(index.count == 80)
        #expect(index.partitionCount == 1)
        let query = generator.vector(dimension: miniLM.dimension)
        let matches = index.search(query, context: contextA, space: miniLM, k: 80)
        #expect(matchesReference(matches, ranking: reference.ranking(query, context: contextA, space: miniLM), k: 80))
    }
}
