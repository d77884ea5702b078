import Testing
@testable import Embedding

@Suite struct EmbeddingQueueTests {
    /// Starts a task that submits `texts` and waits for its answer.
    private func submit(_ texts: [String], to queue: EmbeddingQueue) async -> Task<[[Float]], any Error> {
        let expected = queue.pendingJobCount + 1
        let task = Task {
            try await withCheckedThrowingContinuation { continuation in
                queue.submit(EmbeddingQueue.Job(texts: texts, continuation: continuation))
            }
        }
        while queue.pendingJobCount < expected { await Task.yield() }
        return task
    }

    @Test func waitingJobsAreTakenTogetherUpToTheBatchSize() async throws {
        let queue = EmbeddingQueue()
        let first = await submit(["a"], to: queue)
        let second = await submit(["b", "c"], to: queue)
        let third = await submit(["d"], to: queue)

        let batch = try #require(queue.takeBatch(maxTexts: 3))
        #expect(batch.map(\.texts) == [["a"], ["b", "c"]])
        let rest = try #require(queue.takeBatch(maxTexts: 3))
        #expect(rest.map(\.texts) == [["d"]])

        for job in batch + rest { job.continuation.resume(returning: job.texts.map { _ in [1] }) }
        #expect(try await first.value == [[1]])
        #expect(try await second.value == [[1], [1]])
        #expect(try await third.value == [[1]])
    }

    @Test func aJobLargerThanTheBatchIsStillTaken() async throws {
        let queue = EmbeddingQueue()
        let task = await submit(["a", "b", "c"], to: queue)
        let batch = try #require(queue.takeBatch(maxTexts: 2))
        #expect(batch.count == 1)
        batch[0].continuation.resume(returning: [])
        _ = try await task.value
    }

    @Test func stoppedQueueDrainsThenRefuses() async throws {
        let queue = EmbeddingQueue()
        let queued = await submit(["a"], to: queue)
        queue.stop()
        let batch = try #require(queue.takeBatch(maxTexts: 8))
        batch[0].continuation.resume(returning: [[2]])
        #expect(try await queued.value == [[2]])
        #expect(queue.takeBatch(maxTexts: 8) == nil)
        do {
            _ = try await withCheckedThrowingContinuation { continuation in
                queue.submit(EmbeddingQueue.Job(texts: ["late"], continuation: continuation))
            }
            Issue.record("a stopped queue accepted a job")
        } catch let error as EmbeddingError {
            #expect(error.code == .stopped)
        }
    }
}
