import CCurl

/// A request on its way to the loop thread, with the channel its response goes to.
struct PendingTransfer: Sendable {
    let id: UInt64
    let request: UpstreamRequest
    let timeouts: UpstreamTimeouts
    let origin: String
    let channel: ResponseChannel
}

/// What other threads ask the loop thread to do.
enum TransferCommand: Sendable {
    case start(PendingTransfer)
    /// The consumer stopped reading: remove the transfer from the multi handle.
    case cancel(id: UInt64)
    /// The consumer drained its buffer: unpause a transfer paused for backpressure.
    case resume(id: UInt64)
}

/// The lock-protected hand-off between callers and the loop thread.
///
/// It also holds the `CURLM` pointer, but only so that ``submit(_:)`` can call `curl_multi_wakeup`
/// (the one multi call libcurl allows from any thread). The loop thread owns the handle: it alone
/// performs, polls and finally cleans it up, after ``close()`` has removed the pointer from here.
final class CommandQueue: Sendable {
    private struct State {
        var commands: [TransferCommand] = []
        var multiForWakeup: UnsafeMutableRawPointer?
        var stopRequested = false
        var nextID: UInt64 = 0
    }

    private let state: LockedState<State>

    init(multi: UnsafeMutableRawPointer) {
        state = LockedState(State(multiForWakeup: multi))
    }

    func makeID() -> UInt64 {
        state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
    }

    /// Queues a command and wakes the loop; returns `false` once the loop has stopped.
    @discardableResult
    func submit(_ command: TransferCommand) -> Bool {
        state.withLock { state in
            guard let multi = state.multiForWakeup, !state.stopRequested else { return false }
            state.commands.append(command)
            curl_multi_wakeup(multi)
            return true
        }
    }

    /// The multi handle, for the loop thread that owns it.
    func multiForOwner() -> UnsafeMutableRawPointer? {
        state.withLock { $0.multiForWakeup }
    }

    /// Asks the loop to stop; later submissions are refused.
    func requestStop() {
        state.withLock { state in
            guard let multi = state.multiForWakeup, !state.stopRequested else { return }
            state.stopRequested = true
            curl_multi_wakeup(multi)
        }
    }

    /// Takes the queued commands (loop thread only).
    func drain() -> (commands: [TransferCommand], stopRequested: Bool) {
        state.withLock { state in
            defer { state.commands.removeAll(keepingCapacity: true) }
            return (state.commands, state.stopRequested)
        }
    }

    /// Forgets the multi handle so nobody wakes it after cleanup, and returns the commands still queued.
    func close() -> [TransferCommand] {
        state.withLock { state in
            state.multiForWakeup = nil
            state.stopRequested = true
            defer { state.commands.removeAll() }
            return state.commands
        }
    }
}
