import Testing
import VectorIndex

@Suite struct ConcurrencyTests {
    /// Many tasks insert, remove and search at once; afterwards every kept id is found by its own
    /// vector and every removed one is gone.
    @Test func concurrentInsertsRemovesAndSearchesStayConsistent() async {
        let index = VectorIndex()
        let tasks = 8
        let idsPerTask: Int64 = 300
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    var generator = SeededGenerator(seed: UInt64(task))
                    let context = task % 2 == 0 ? contextA : contextB
                    let first = Int64(task) * idsPerTask
                    for id in first..<first + idsPerTask {
                        index.insert(id: id, vector: generator.vector(dimension: 16), context: context, space: miniLM)
                        if id % 3 == 0 { index.remove(id: id) }
                        if id % 10 == 0 {
                            _ = index.search(generator.vector(dimension: 16), context: context, space: miniLM, k: 5)
                            _ = index.search([generator.vector(dimension: 16)], context: context, space: miniLM, k: 5)
                        }
                    }
                }
            }
        }
        var expectedCount = 0
        for task in 0..<tasks {
            var generator = SeededGenerator(seed: UInt64(task))
            let context = task % 2 == 0 ? contextA : contextB
            let first = Int64(task) * idsPerTask
            for id in first..<first + idsPerTask {
                let vector = generator.vector(dimension: 16)
                if id % 10 == 0 {  // the searches drew from the generator too
                    _ = generator.vector(dimension: 16)
                    _ = generator.vector(dimension: 16)
                }
                let removed = id % 3 == 0
                #expect(index.contains(id: id) == !removed)
                if !removed {
                    expectedCount += 1
                    let best = index.search(vector, context: context, space: miniLM, k: 1).first
                    #expect(best?.id == id)
                }
            }
        }
        #expect(index.count == expectedCount)
        #expect(index.partitionCount == 2)
    }
}
