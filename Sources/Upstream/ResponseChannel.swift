/// Carries one transfer's events from the loop thread to the consumer, with backpressure.
///
/// The loop thread ``deliver(_:)``s events into the buffer and, once per loop iteration,
/// ``wakeConsumer()`` hands a waiting consumer what arrived: a head, its body and the end that came
/// in one `curl_multi_perform` wake the consumer once, not three times. Once `bufferLimit` bytes are waiting, delivery is refused
/// and the loop pauses the transfer (`CURL_WRITEFUNC_PAUSE`). When the consumer has drained the buffer
/// to half the limit, it asks the loop to resume.
final class ResponseChannel: Sendable {
    private enum Ending {
        case finished
        case failed(UpstreamError)
    }

    private struct State {
        var events: [UpstreamEvent] = []
        var readIndex = 0
        var bufferedBytes = 0
        var producerPaused = false
        var ending: Ending?
        var waiter: CheckedContinuation<UpstreamEvent?, any Error>?
    }

    private enum NextStep {
        case event(UpstreamEvent, resumeProducer: Bool)
        case end(Ending)
        case wait
    }

    let id: UInt64
    private let origin: String
    private let bufferLimit: Int
    private let commands: CommandQueue
    private let state = LockedState(State())

    init(id: UInt64, origin: String, bufferLimit: Int, commands: CommandQueue) {
        self.id = id
        self.origin = origin
        self.bufferLimit = bufferLimit
        self.commands = commands
    }

    // MARK: Producer (loop thread)

    /// Buffers an event for the consumer; `false` means the buffer is full and the event was not taken.
    func deliver(_ event: UpstreamEvent) -> Bool {
        state.withLock { state in
            guard state.ending == nil else { return true }  // consumer gone; the loop is removing the transfer
            if state.bufferedBytes >= bufferLimit {
                state.producerPaused = true
                return false
            }
            state.events.append(event)
            state.bufferedBytes += event.byteCount
            return true
        }
    }

    /// Hands a waiting consumer the events delivered so far (body chunks joined into one).
    func wakeConsumer() {
        let handover = state.withLock { state -> (CheckedContinuation<UpstreamEvent?, any Error>, UpstreamEvent, Bool)? in
            guard let waiter = state.waiter, state.readIndex < state.events.count else { return nil }
            state.waiter = nil
            return (waiter, take(from: &state), shouldResume(&state))
        }
        guard let (waiter, event, resumeProducer) = handover else { return }
        if resumeProducer { commands.submit(.resume(id: id)) }
        waiter.resume(returning: event)
    }

    /// Ends the stream after the buffered events, normally (`nil`) or with an error.
    func finish(_ error: UpstreamError?) {
        let handover = state.withLock { state -> (CheckedContinuation<UpstreamEvent?, any Error>, NextStep)? in
            guard state.ending == nil else { return nil }
            let ending = error.map(Ending.failed) ?? .finished
            state.ending = ending
            guard let waiter = state.waiter else { return nil }
            state.waiter = nil
            let hasEvents = state.readIndex < state.events.count
            return (waiter, hasEvents ? .event(take(from: &state), resumeProducer: false) : .end(ending))
        }
        switch handover {
        case (let waiter, .event(let event, _))?: waiter.resume(returning: event)
        case (let waiter, .end(.finished))?: waiter.resume(returning: nil)
        case (let waiter, .end(.failed(let error)))?: waiter.resume(throwing: error)
        case (_, .wait)?, nil: break
        }
    }

    // MARK: Consumer

    /// The next event, `nil` at the normal end; throws the transfer's error, or ``UpstreamError/Kind/cancelled``
    /// when the calling task is cancelled.
    func next() async throws -> UpstreamEvent? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let step = state.withLock { state -> NextStep in
                    if state.readIndex < state.events.count {
                        return .event(take(from: &state), resumeProducer: shouldResume(&state))
                    }
                    if let ending = state.ending { return .end(ending) }
                    state.waiter = continuation
                    return .wait
                }
                switch step {
                case .event(let event, let resumeProducer):
                    if resumeProducer { commands.submit(.resume(id: id)) }
                    continuation.resume(returning: event)
                case .end(.finished):
                    continuation.resume(returning: nil)
                case .end(.failed(let error)):
                    continuation.resume(throwing: error)
                case .wait:
                    break
                }
            }
        } onCancel: {
            stopConsuming()
        }
    }

    /// The consumer is gone (task cancelled or stream released): fail the stream and cancel the transfer.
    func stopConsuming() {
        let (wasRunning, waiter) = state.withLock { state -> (Bool, CheckedContinuation<UpstreamEvent?, any Error>?) in
            guard state.ending == nil else { return (false, nil) }
            state.ending = .failed(.cancelled(origin))
            defer { state.waiter = nil }
            return (true, state.waiter)
        }
        waiter?.resume(throwing: UpstreamError.cancelled(origin))
        if wasRunning { commands.submit(.cancel(id: id)) }
    }

    /// The next buffered event; body chunks buffered one after the other are joined into one, so a
    /// consumer that fell behind catches up with one write instead of one per libcurl callback.
    private func take(from state: inout State) -> UpstreamEvent {
        var event = state.events[state.readIndex]
        state.readIndex += 1
        if case .body(var bytes) = event, state.readIndex < state.events.count, case .body = state.events[state.readIndex] {
            while state.readIndex < state.events.count, case .body(let more) = state.events[state.readIndex] {
                bytes.append(contentsOf: more)
                state.readIndex += 1
            }
            event = .body(bytes)
        }
        state.bufferedBytes -= event.byteCount
        if state.readIndex == state.events.count {
            state.events.removeAll(keepingCapacity: true)
            state.readIndex = 0
        }
        return event
    }

    private func shouldResume(_ state: inout State) -> Bool {
        guard state.producerPaused, state.bufferedBytes <= bufferLimit / 2 else { return false }
        state.producerPaused = false
        return true
    }
}

extension UpstreamEvent {
    fileprivate var byteCount: Int {
        if case .body(let bytes) = self { return bytes.count }
        return 0
    }
}
