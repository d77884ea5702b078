import Foundation

/// Runs a request against a timer and resumes a continuation exactly once with whichever ends first.
///
/// Unlike a task group it does not wait for a loser that ignores cancellation: the caller gets its
/// timeout error on time and the late request is cancelled and left to finish on its own.
///
/// `@unchecked Sendable`: `continuation` and `tasks` are only touched while `lock` is held.
final class RemoteCallRace: @unchecked Sendable {
    typealias Response = (status: Int, body: [UInt8])
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Response, any Error>?
    private var tasks: [Task<Void, Never>] = []
    private var cancelled = false

    func start(_ continuation: CheckedContinuation<Response, any Error>,
               request: @escaping @Sendable () async -> Result<Response, EmbeddingError>,
               timeout: Duration, timeoutError: EmbeddingError) {
        lock.withLock {
            self.continuation = continuation
            if cancelled {
                finish(.failure(CancellationError()))
                return
            }
            tasks = [
                Task { self.finishLocked(await request().mapError { $0 as any Error }) },
                Task {
                    do { try await Task.sleep(for: timeout) } catch { return }
                    self.finishLocked(.failure(timeoutError))
                },
            ]
        }
    }

    func cancel() {
        lock.withLock {
            cancelled = true
            finish(.failure(CancellationError()))
        }
    }

    private func finishLocked(_ result: Result<Response, any Error>) {
        lock.withLock { finish(result) }
    }

    /// Resumes the continuation once and cancels both tasks; call with the lock held.
    private func finish(_ result: Result<Response, any Error>) {
        guard let continuation else { return }
        self.continuation = nil
        for task in tasks { task.cancel() }
        tasks = []
        continuation.resume(with: result)
    }
}
