import Synchronization

/// Runs work with a time limit that does not wait for the work to notice: at the deadline the
/// caller gets ``PostgresStoreFailure/timedOut(_:)`` at once and the work is cancelled in the
/// background. So a database that hangs never holds a request longer than the store timeout.
enum Deadline {
    static func run<Result: Sendable>(_ limit: Duration, _ work: @escaping @Sendable () async throws -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
            let pending = Mutex<CheckedContinuation<Result, any Error>?>(continuation)
            let finish = { @Sendable (outcome: Swift.Result<Result, any Error>) -> Bool in
                guard let continuation = pending.withLock({ $0.take() }) else { return false }
                continuation.resume(with: outcome)
                return true
            }
            let task = Task {
                do { _ = finish(.success(try await work())) } catch { _ = finish(.failure(error)) }
            }
            Task {
                try? await Task.sleep(for: limit)
                if finish(.failure(PostgresStoreFailure.timedOut(limit))) { task.cancel() }
            }
        }
    }
}
