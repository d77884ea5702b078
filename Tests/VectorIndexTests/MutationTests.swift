import Testing
import VectorIndex

@Suite struct MutationTests {
    /// Every row of the partition, compared with the reference for a few random queries.
    private func expectSameAsReference(
        _ index: VectorIndex, _ reference: ReferenceIndex, using generator: inout SeededGenerator,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(index.count == reference.count, sourceLocation: sourceLocation)
        for _ in 0..<3 {
            let query = generator.vector(dimension: miniLM.dimension)
            let matches = index.search(query, context: contextA, space: miniLM, k: reference.count + 1)
            let ranking = reference.ranking(query, context: contextA, space: miniLM)
            #expect(matchesReference(matches, ranking: ranking, k: ranking.count), sourceLocation: sourceLocation)
        }
    }

    @Test func removingFirstMiddleLastAndAllKeepsResultsCorrect() {
        var generator = SeededGenerator(seed: 11)
        let index = VectorIndex()
        var reference = ReferenceIndex()
        fill(index, &reference, count: 40, using: &generator)
        for id: Int64 in [0, 20, 39] {  // first, middle and last row
            #expect(index.remove(id: id))
            #expect(!index.contains(id: id))
            reference.remove(id: id)
            expectSameAsReference(index, reference, using: &generator)
        }
        #expect(!index.remove(id: 20))
        for id in reference.ids.shuffled(using: &generator) {
            #expect(index.remove(id: id))
            reference.remove(id: id)
            expectSameAsReference(index, reference, using: &generator)
        }
        #expect(index.count == 0)
        #expect(index.partitionCount == 0)
    }

    /// A partition loaded at its exact size grows (its rows copied into a larger matrix beside any search)
    /// when single inserts and a second bulk load add to it: every row stays, under its id.
    @Test func growingALoadedPartitionKeepsEveryRow() {
        var generator = SeededGenerator(seed: 16)
        let index = VectorIndex()
        var reference = ReferenceIndex()
        var batch = VectorBatch()
        batch.reserveCapacity(64, context: contextA, space: miniLM)
        for id in Int64(0)..<64 {
            let vector = generator.vector(dimension: miniLM.dimension)
            batch.append(id: id, vector: vector, context: contextA, space: miniLM)
            reference.insert(id: id, vector: vector, context: contextA, space: miniLM)
        }
        index.bulkLoad(batch)
        let loadedBytes = index.memoryBytes
        fill(index, &reference, count: 100, firstID: 64, using: &generator)  // grows 64 → 96 → 144 → 216 rows
        #expect(index.memoryBytes > loadedBytes)
        expectSameAsReference(index, reference, using: &generator)

        var more = VectorBatch()
        for id in Int64(164)..<464 {
            let vector = generator.vector(dimension: miniLM.dimension)
            more.append(id: id, vector: vector, context: contextA, space: miniLM)
            reference.insert(id: id, vector: vector, context: contextA, space: miniLM)
        }
        index.bulkLoad(more)
        expectSameAsReference(index, reference, using: &generator)
        for id: Int64 in [0, 63, 64, 163, 164, 463] {
            #expect(index.contains(id: id))
        }
    }

    @Test func insertingAnExistingIDReplacesItsVector() {
        var generator = SeededGenerator(seed: 12)
        let index = VectorIndex()
        var reference = ReferenceIndex()
        fill(index, &reference, count: 30, using: &generator)
        let replacement = generator.vector(dimension: miniLM.dimension)
        index.insert(id: 5, vector: replacement, context: contextA, space: miniLM)
        reference.insert(id: 5, vector: replacement, context: contextA, space: miniLM)
        expectSameAsReference(index, reference, using: &generator)
        let best = index.search(replacement, context: contextA, space: miniLM, k: 1).first
        #expect(best?.id == 5)
        #expect(abs((best?.similarity ?? 0) - 1) < 1e-5)

        // Replacing into another context moves the id there.
        index.insert(id: 5, vector: replacement, context: contextB, space: miniLM)
        reference.insert(id: 5, vector: replacement, context: contextB, space: miniLM)
        expectSameAsReference(index, reference, using: &generator)
        #expect(index.search(replacement, context: contextB, space: miniLM, k: 5).map(\.id) == [5])
        #expect(index.count == 30)
    }

    @Test func removeAllWhereAndRemoveAll() {
        var generator = SeededGenerator(seed: 13)
        let index = VectorIndex()
        var reference = ReferenceIndex()
        fill(index, &reference, count: 50, using: &generator)
        fill(index, &reference, count: 5, firstID: 100, context: contextB, using: &generator)
        index.removeAll { $0 % 3 == 0 }
        for id in reference.ids where id % 3 == 0 { reference.remove(id: id) }
        expectSameAsReference(index, reference, using: &generator)
        #expect(index.partitionCount == 2)
        let bytesBefore = index.memoryBytes
        #expect(bytesBefore >= reference.count * miniLM.dimension * MemoryLayout<Float>.size)
        index.removeAll()
        #expect(index.count == 0)
        #expect(index.partitionCount == 0)
        #expect(index.memoryBytes < bytesBefore)
    }

    @Test func bulkLoadEqualsInsertingOneByOne() {
        var generator = SeededGenerator(seed: 14)
        let index = VectorIndex()
        var reference = ReferenceIndex()
        fill(index, &reference, count: 10, using: &generator)  // ids 0..<10 already stored
        var batch = VectorBatch()
        for id in Int64(5)..<200 {  // 5..<10 replace stored vectors
            let vector = generator.vector(dimension: miniLM.dimension)
            let context = id % 2 == 0 ? contextA : contextB
            let accepted = batch.append(id: id, vector: vector, context: context, space: miniLM)
            #expect(accepted)
            reference.insert(id: id, vector: vector, context: context, space: miniLM)
        }
        let repeated = generator.vector(dimension: miniLM.dimension)  // id 42 twice in one partition: the last wins
        batch.append(id: 42, vector: repeated, context: contextA, space: miniLM)
        reference.insert(id: 42, vector: repeated, context: contextA, space: miniLM)
        let wrongDimension = batch.append(id: 999, vector: [1, 2], context: contextA, space: miniLM)
        let zero = batch.append(id: 999, vector: [Float](repeating: 0, count: 16), context: contextA, space: miniLM)
        #expect(!wrongDimension && !zero)
        #expect(batch.count == 196)

        index.bulkLoad(batch)
        #expect(index.count == 200)
        #expect(!index.contains(id: 999))
        for context in [contextA, contextB] {
            let query = generator.vector(dimension: miniLM.dimension)
            let matches = index.search(query, context: context, space: miniLM, k: 300)
            let ranking = reference.ranking(query, context: context, space: miniLM)
            #expect(matchesReference(matches, ranking: ranking, k: 300))
        }
        // Rows loaded in bulk can be removed like any other.
        for id: Int64 in [6, 42, 199] {
            #expect(index.remove(id: id))
            reference.remove(id: id)
        }
        expectSameAsReference(index, reference, using: &generator)
    }

    @Test func bulkLoadAcceptsFloat32Bytes() {
        let vector: [Float] = (0..<16).map { Float($0) - 7.5 }
        var batch = VectorBatch()
        var bytes = [UInt8](repeating: 0, count: 1)  // an odd offset, as a BLOB may have
        vector.withUnsafeBytes { bytes.append(contentsOf: $0) }
        bytes.withUnsafeBytes { raw in
            let unaligned = UnsafeRawBufferPointer(rebasing: raw.dropFirst())
            let shortByOne = UnsafeRawBufferPointer(rebasing: raw.dropFirst(2))
            let accepted = batch.append(id: 1, float32Bytes: unaligned, context: contextA, space: miniLM)
            let rejected = !batch.append(id: 2, float32Bytes: shortByOne, context: contextA, space: miniLM)
            #expect(accepted && rejected)
        }
        let index = VectorIndex()
        index.bulkLoad(batch)
        let best = index.search(vector, context: contextA, space: miniLM, k: 3)
        #expect(best.map(\.id) == [1])
        #expect(abs((best.first?.similarity ?? 0) - 1) < 1e-5)
    }
}
