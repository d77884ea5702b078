import Synchronization

/// Runs the store's housekeeping in the background, never on the request path: removes expired
/// entries every `interval`, and checks (at least once a second) whether the store is over its
/// ``EvictionBudget``, evicting the least recently hit entries when it is.
final class CacheJanitor: Sendable {
    private let task = Mutex<Task<Void, Never>?>(nil)

    /// Starts the loop; `sweepExpired` and `enforceBudget` do the work.
    func start(
        interval: Duration,
        sweepExpired: @escaping @Sendable () async -> Void,
        enforceBudget: @escaping @Sendable () async -> Void
    ) {
        let check = min(interval, .seconds(1))
        let loop = Task {
            var sinceSweep = interval  // sweep at once on start
            while !Task.isCancelled {
                if sinceSweep >= interval {
                    await sweepExpired()
                    sinceSweep = .zero
                }
                await enforceBudget()
                do { try await Task.sleep(for: check) } catch { return }
                sinceSweep += check
            }
        }
        task.withLock { $0 = loop }
    }

    /// Stops the loop and waits for the round in progress to finish.
    func stop() async {
        let loop = task.withLock { task -> Task<Void, Never>? in
            defer { task = nil }
            return task
        }
        loop?.cancel()
        await loop?.value
    }
}
