import CCurl

/// The loop run by the client's dedicated thread: it alone drives the `CURLM` handle.
///
/// Each iteration applies queued commands, starts waiting transfers up to the concurrency limit,
/// calls `curl_multi_perform`, completes finished transfers, hands the consumers what arrived, fails those past a first-byte or idle
/// deadline, and sleeps in `curl_multi_poll` until socket activity, a wake-up from ``CommandQueue``,
/// libcurl's own timer or the nearest deadline (at most ``maxPollMilliseconds``).
final class TransferLoop {
    static let maxPollMilliseconds: Int32 = 1000

    private let multi: UnsafeMutableRawPointer
    private let commands: CommandQueue
    private let configuration: UpstreamClient.Configuration
    private var active: [UInt64: Transfer] = [:]
    private var waiting = FIFOQueue<PendingTransfer>()

    init(multi: UnsafeMutableRawPointer, commands: CommandQueue, configuration: UpstreamClient.Configuration) {
        self.multi = multi
        self.commands = commands
        self.configuration = configuration
    }

    func run() {
        while true {
            let (batch, stopRequested) = commands.drain()
            if stopRequested { break }
            batch.forEach(apply)
            startWaitingTransfers()
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            completeFinishedTransfers()
            // After the whole perform: what arrived together reaches each consumer in one wake-up.
            for transfer in active.values { transfer.channel.wakeConsumer() }
            let now = ContinuousClock.now
            let nearestDeadline = failOverdueTransfers(now: now)
            startWaitingTransfers()
            curl_multi_poll(multi, nil, 0, pollMilliseconds(until: nearestDeadline, now: now), nil)
        }
        stopAll()
    }

    private func apply(_ command: TransferCommand) {
        switch command {
        case .start(let pending):
            waiting.append(pending)
        case .cancel(let id):
            if let transfer = active[id] {
                end(transfer, .cancelled(transfer.origin))
            } else {
                waiting.removeAll { $0.id == id }
            }
        case .resume(let id):
            active[id]?.resume()
        }
    }

    private func startWaitingTransfers() {
        while active.count < max(1, configuration.maxConcurrentTransfers), let pending = waiting.popFirst() {
            begin(pending)
        }
    }

    private func begin(_ pending: PendingTransfer) {
        guard let easy = curl_easy_init() else {
            pending.channel.finish(.transferFailed(pending.origin, cause: "curl_easy_init returned no handle"))
            return
        }
        let transfer = Transfer(pending, easy: easy)
        do {
            try transfer.configure(pending.request, configuration)
        } catch {
            transfer.channel.finish(error)
            return
        }
        let code = curl_multi_add_handle(multi, easy)
        guard code == CURLM_OK else {
            let cause = "curl_multi_add_handle: \(String(cString: curl_multi_strerror(code)))"
            transfer.channel.finish(.transferFailed(pending.origin, cause: cause))
            return
        }
        active[pending.id] = transfer
    }

    private func completeFinishedTransfers() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let result = message.pointee.data.result  // read before removal invalidates the message
            var context: UnsafeMutableRawPointer?
            semcache_easy_getinfo_pointer(easy, CURLINFO_PRIVATE, &context)
            guard let context else { continue }
            let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
            remove(transfer)
            transfer.complete(result)
        }
    }

    /// Fails transfers past their first-byte or idle deadline; returns the nearest deadline still ahead.
    private func failOverdueTransfers(now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        var nearest: ContinuousClock.Instant?
        for transfer in Array(active.values) {
            guard let (deadline, phase, limit) = deadline(of: transfer) else { continue }
            if deadline <= now {
                end(transfer, .timeout(transfer.origin, phase: phase, limit: limit))
            } else if nearest.map({ deadline < $0 }) ?? true {
                nearest = deadline
            }
        }
        return nearest
    }

    private func deadline(
        of transfer: Transfer
    ) -> (ContinuousClock.Instant, UpstreamError.TimeoutPhase, Duration)? {
        guard !transfer.isPaused else { return nil }
        let timeouts = transfer.timeouts
        guard transfer.firstByteAt == nil else {
            return (transfer.lastActivityAt + timeouts.idle, .idle, timeouts.idle)
        }
        if transfer.requestSentAt == nil {
            var microseconds: curl_off_t = 0
            semcache_easy_getinfo_off_t(transfer.easy, CURLINFO_PRETRANSFER_TIME_T, &microseconds)
            if microseconds > 0 { transfer.requestSentAt = transfer.startedAt + .microseconds(microseconds) }
        }
        // Until the request is sent, libcurl's connect timeout bounds the wait; count first-byte time after it.
        let sentAt = transfer.requestSentAt ?? transfer.startedAt + timeouts.connect
        return (sentAt + timeouts.firstByte, .firstByte, timeouts.firstByte)
    }

    private func pollMilliseconds(until deadline: ContinuousClock.Instant?, now: ContinuousClock.Instant) -> Int32 {
        guard let deadline else { return Self.maxPollMilliseconds }
        let remaining = (deadline - now).milliseconds + 1  // round up so the deadline has passed on wake-up
        return Int32(clamping: min(max(remaining, 0), Int64(Self.maxPollMilliseconds)))
    }

    private func end(_ transfer: Transfer, _ error: UpstreamError) {
        remove(transfer)
        transfer.channel.finish(error)
    }

    private func remove(_ transfer: Transfer) {
        curl_multi_remove_handle(multi, transfer.easy)
        active[transfer.id] = nil
    }

    private func stopAll() {
        for case .start(let pending) in commands.close() {
            pending.channel.finish(.shutdown(pending.origin))
        }
        while let pending = waiting.popFirst() {
            pending.channel.finish(.shutdown(pending.origin))
        }
        for transfer in Array(active.values) {
            end(transfer, .shutdown(transfer.origin))
        }
        curl_multi_cleanup(multi)
    }
}
