#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Foundation
import Logging
import Synchronization

/// Appends ``TrafficLogEntry`` lines to the traffic log (`serve --log-file PATH`) without slowing
/// requests down.
///
/// ``append(_:)`` returns at once: the entry is encoded and written on one serial queue, which owns
/// the file. Lines are buffered and written when 256 KiB are waiting, at most ``flushInterval`` after
/// the first of them, and on ``close()``. Memory is bounded: while more than ``maxQueuedBytes`` wait,
/// new entries are dropped and counted. Write errors are logged (once per run of failures), never
/// thrown into the request path. The file is opened for appending and created `0600`.
public final class TrafficLogWriter: Sendable {
    /// How long a line may wait in the buffer.
    public let flushInterval: Duration
    /// Bytes that may wait (queued entries plus the unwritten buffer) before entries are dropped.
    public let maxQueuedBytes: Int
    public let path: String

    private static let writeThreshold = 256 << 10
    private let descriptor: Int32
    private let queue = DispatchQueue(label: "semcache.traffic-log")
    private let state = Mutex(State())
    private let logger: Logger

    private struct State {
        var buffer: [UInt8] = []
        var queuedBytes = 0
        var flushScheduled = false
        var closed = false
        var dropped = 0
        var dropWarned = false
        var failing = false
    }

    /// Opens (or creates) `path` for appending.
    public init(path: String, logger: Logger, flushInterval: Duration = .seconds(1), maxQueuedBytes: Int = 32 << 20) throws(TrafficLogError) {
        descriptor = openForAppending(path)
        guard descriptor >= 0 else { throw TrafficLogError(path: path, errno: errno) }
        self.path = path
        self.logger = logger
        self.flushInterval = flushInterval
        self.maxQueuedBytes = maxQueuedBytes
    }

    deinit { _ = closeDescriptor(descriptor) }

    /// Entries dropped because the writer fell behind (or after ``close()``).
    public var droppedEntries: Int { state.withLock { $0.dropped } }

    /// Queues `entry`; returns at once.
    public func append(_ entry: TrafficLogEntry) {
        let size = entry.requestBody.count + entry.responseBody.count + 256
        let accepted = state.withLock { state -> Bool in
            guard !state.closed, state.queuedBytes + size <= maxQueuedBytes else {
                state.dropped += 1
                return false
            }
            state.queuedBytes += size
            return true
        }
        guard accepted else {
            warnDropped()
            return
        }
        queue.async { [self] in
            let line = TrafficLogLine.encode(entry)
            let (writeNow, scheduleFlush) = state.withLock { state -> (Bool, Bool) in
                state.queuedBytes -= size
                guard let line else { return (false, false) }
                state.queuedBytes += line.count
                state.buffer += line
                if state.buffer.count >= Self.writeThreshold { return (true, false) }
                defer { state.flushScheduled = true }
                return (false, !state.flushScheduled)
            }
            if writeNow {
                writeBuffer()
            } else if scheduleFlush {
                queue.asyncAfter(deadline: .now() + .nanoseconds(Int(flushInterval.milliseconds * 1e6))) { [self] in writeBuffer() }
            }
        }
    }

    /// Convenience for the pipeline: see ``TrafficLogEntry`` for the parameters.
    public func append(
        endpoint: CacheEndpoint, requestBody: [UInt8], status: Int, responseBody: [UInt8], isStream: Bool,
        promptTokens: Int?, completionTokens: Int?, upstreamMilliseconds: Double?, cache: String,
        time: Double = Date().timeIntervalSince1970
    ) {
        append(TrafficLogEntry(
            time: time, endpoint: endpoint, requestBody: requestBody, status: status, responseBody: responseBody,
            isStream: isStream, promptTokens: promptTokens, completionTokens: completionTokens,
            upstreamMilliseconds: upstreamMilliseconds, cache: cache))
    }

    /// Waits until everything appended so far is written.
    public func flush() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async { [self] in
                writeBuffer()
                continuation.resume()
            }
        }
    }

    /// Writes what is buffered; later appends are dropped. The file is closed when the writer is released.
    public func close() async {
        await flush()
        state.withLock { $0.closed = true }
    }

    /// Runs on `queue`: writes the buffer to the file.
    private func writeBuffer() {
        let bytes = state.withLock { state -> [UInt8] in
            state.flushScheduled = false
            let bytes = state.buffer
            state.buffer.removeAll(keepingCapacity: true)
            state.queuedBytes -= bytes.count
            return bytes
        }
        guard !bytes.isEmpty else { return }
        let failure = writeAll(descriptor, bytes)
        let report = state.withLock { state -> Bool in
            defer { state.failing = failure != 0 }
            if failure == 0 { state.dropWarned = false }
            return failure != 0 && !state.failing
        }
        if report {
            logger.error("cannot write the traffic log; lines are lost until writing works again", metadata: [
                "path": "\(path)", "cause": "\(String(cString: strerror(failure)))",
            ])
        }
    }

    private func warnDropped() {
        let first = state.withLock { state -> Bool in
            defer { state.dropWarned = true }
            return !state.dropWarned && !state.closed
        }
        if first {
            logger.warning("the traffic log is falling behind; dropping entries", metadata: ["path": "\(path)"])
        }
    }
}

private func openForAppending(_ path: String) -> Int32 {
    open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
}

private func closeDescriptor(_ descriptor: Int32) -> Int32 { close(descriptor) }

/// Writes every byte (retrying short writes and `EINTR`); returns 0 or the `errno` of the failure.
private func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Int32 {
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += written
        }
        return 0
    }
}
