/// Carries one transfer's events from the loop thread to the consumer, with backpressure.
///
/// The loop thread delivers the head and body bytes into the buffer (the bytes straight into one
/// growing array, ``deliverBody(_:)``: a stream arrives in one libcurl callback per HTTP chunk, and
/// the consumer wants them as one write) and, once per loop iteration,
/// ``wakeConsumer()`` hands a waiting consumer what arrived: a head, its body and the end that came
/// in one `curl_multi_perform` wake the consumer once, not three times. Once `bufferLimit` bytes are waiting, delivery is refused
/// and the loop pauses the transfer (`CURL_WRITEFUNC_PAUSE`). When the consumer has drained the buffer
/// to half the limit, it asks the loop to resume.
final class ResponseChannel: Sendable {
    fileprivate enum Ending {
        case finished
        case failed(UpstreamError)
    }

    fileprivate struct State {
        var events: [UpstreamEvent] = []
        var readIndex = 0
        /// Body bytes delivered after the last of `events`, handed over as one ``UpstreamEvent/body(_:)``.
        var tailBody: [UInt8] = []
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

    /// Buffers the response head for the consumer (heads take no room in the buffer).
    func deliverHead(status: Int, headers: [(name: String, value: String)]) {
        state.withLock { state in
            guard state.ending == nil else { return }  // consumer gone; the loop is removing the transfer
            if !state.tailBody.isEmpty { state.events.append(.body(state.takeTailBody())) }
            state.events.append(.head(status: status, headers: headers))
        }
    }

    /// Buffers body bytes straight from libcurl's buffer, after those delivered before; `false`
    /// means the buffer is full and the bytes were not taken.
    func deliverBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        state.withLock { state in
            guard state.ending == nil else { return true }  // consumer gone; the loop is removing the transfer
            if state.bufferedBytes >= bufferLimit {
                state.producerPaused = true
                return false
            }
            state.tailBody.append(contentsOf: bytes)
            state.bufferedBytes += bytes.count
            return true
        }
    }

    /// Hands a waiting consumer the events delivered so far (body chunks joined into one).
    func wakeConsumer() {
        let handover = state.withLock { state -> (CheckedContinuation<UpstreamEvent?, any Error>, UpstreamEvent, Bool)? in
            guard let waiter = state.waiter, state.hasEvents else { return nil }
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
            return (waiter, state.hasEvents ? .event(take(from: &state), resumeProducer: false) : .end(ending))
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
                    if state.hasEvents {
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

    /// The next buffered event; the body bytes buffered since the last one come as one, so a consumer
    /// that fell behind catches up with one write instead of one per libcurl callback.
    private func take(from state: inout State) -> UpstreamEvent {
        let event: UpstreamEvent
        if state.readIndex < state.events.count {
            event = state.events[state.readIndex]
            state.readIndex += 1
            if state.readIndex == state.events.count {
                state.events.removeAll(keepingCapacity: true)
                state.readIndex = 0
            }
        } else {
            event = .body(state.takeTailBody())
        }
        state.bufferedBytes -= event.byteCount
        return event
    }

    private func shouldResume(_ state: inout State) -> Bool {
        guard state.producerPaused, state.bufferedBytes <= bufferLimit / 2 else { return false }
        state.producerPaused = false
        return true
    }
}

extension ResponseChannel.State {
    var hasEvents: Bool { readIndex < events.count || !tailBody.isEmpty }

    mutating func takeTailBody() -> [UInt8] {
        defer { tailBody = [] }
        return tailBody
    }
}

extension UpstreamEvent {
    fileprivate var byteCount: Int {
        if case .body(let bytes) = self { return bytes.count }
        return 0
    }
}
