import Dispatch
import Synchronization

/// Owns one ``SQLiteConnection`` and runs every use of it on one serial dispatch queue, off the
/// Swift concurrency pool (SQLite calls block).
///
/// Writes are group-committed: operations that arrive while a transaction is running are queued
/// and run together in the next `BEGIN IMMEDIATE … COMMIT`, each inside its own savepoint so one
/// failing operation does not undo the others.
final class SerialConnection: Sendable {
    private let queue: DispatchQueue
    private let box: ConnectionBox
    private let pending = Mutex<[PendingWrite]>([])

    init(_ connection: SQLiteConnection, label: String) {
        self.queue = DispatchQueue(label: label)
        self.box = ConnectionBox(connection)
    }

    /// Runs `body` on the connection's queue, outside any transaction.
    func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws(StoreError) -> T) async throws(StoreError) -> T {
        let result: Result<T, StoreError> = await withCheckedContinuation { continuation in
            queue.async { [box] in
                do throws(StoreError) {
                    continuation.resume(returning: .success(try body(box.connection)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    /// Runs `body` inside a write transaction shared with other writes queued at the same time.
    func write<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws(StoreError) -> T) async throws(StoreError) -> T {
        let result: Result<T, StoreError> = await withCheckedContinuation { continuation in
            let operation = PendingWrite { connection in
                do throws(StoreError) {
                    let value = try body(connection)
                    return (true, { continuation.resume(returning: .success(value)) })
                } catch {
                    return (false, { continuation.resume(returning: .failure(error)) })
                }
            } fail: { error in
                continuation.resume(returning: .failure(error))
            }
            let isFirst = pending.withLock { queued in
                queued.append(operation)
                return queued.count == 1
            }
            if isFirst { queue.async { [self] in drainWrites() } }
        }
        return try result.get()
    }

    /// Runs on `queue`: commits every queued write in one transaction.
    private func drainWrites() {
        let batch = pending.withLock { queued in
            let batch = queued
            queued.removeAll(keepingCapacity: true)
            return batch
        }
        guard !batch.isEmpty else { return }
        let connection = box.connection
        var completions: [() -> Void] = []
        completions.reserveCapacity(batch.count)
        do throws(StoreError) {
            try connection.execute("BEGIN IMMEDIATE")
            for operation in batch {
                try connection.execute("SAVEPOINT op")
                let (succeeded, report) = operation.run(connection)
                if !succeeded { try connection.execute("ROLLBACK TO op") }
                try connection.execute("RELEASE op")
                completions.append(report)
            }
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            for operation in batch { operation.fail(error) }
            return
        }
        for completion in completions { completion() }
    }
}

/// A queued write: `run` executes it on the connection and returns whether it succeeded (a failed
/// one is rolled back to its savepoint) and how to report its outcome once the transaction
/// commits; `fail` reports a transaction that did not commit.
private struct PendingWrite: Sendable {
    let run: @Sendable (SQLiteConnection) -> (succeeded: Bool, report: @Sendable () -> Void)
    let fail: @Sendable (StoreError) -> Void
}

/// Holds the connection for the queue that owns it.
/// `@unchecked Sendable` is safe because the connection is only ever touched on that serial queue.
private final class ConnectionBox: @unchecked Sendable {
    let connection: SQLiteConnection
    init(_ connection: SQLiteConnection) { self.connection = connection }
}
