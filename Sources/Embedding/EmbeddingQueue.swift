import Foundation

/// The queue between `embed` callers and the model thread: callers enqueue jobs, the model thread
/// takes every job waiting (up to a batch size) at once, so that concurrent calls share one forward pass.
///
/// `@unchecked Sendable`: its only mutable state (`pending`, `stopped`) is read and written only while
/// `condition` is locked.
final class EmbeddingQueue: @unchecked Sendable {
    struct Job: Sendable {
        let texts: [String]
        let continuation: CheckedContinuation<[[Float]], any Error>
    }

    private let condition = NSCondition()
    private var pending: [Job] = []
    private var stopped = false

    /// Enqueues `job`; a job offered after ``stop()`` is failed at once.
    func submit(_ job: Job) {
        condition.lock()
        if stopped {
            condition.unlock()
            job.continuation.resume(throwing: EmbeddingError.stopped)
            return
        }
        pending.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Waits for work, then takes the oldest job and every following job that keeps the batch within
    /// `maxTexts` texts. Returns `nil` once stopped and drained.
    func takeBatch(maxTexts: Int) -> [Job]? {
        condition.lock()
        defer { condition.unlock() }
        while pending.isEmpty && !stopped { condition.wait() }
        guard !pending.isEmpty else { return nil }
        var taken = 1
        var texts = pending[0].texts.count
        while taken < pending.count, texts + pending[taken].texts.count <= maxTexts {
            texts += pending[taken].texts.count
            taken += 1
        }
        let batch = Array(pending.prefix(taken))
        pending.removeFirst(taken)
        return batch
    }

    /// Jobs waiting to be taken.
    var pendingJobCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return pending.count
    }

    /// Lets the model thread finish the jobs already queued, then exit.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }
}
