/// Why an upstream request failed.
///
/// The ``description`` names the upstream origin (`scheme://host:port`, never the path, query or
/// credentials) and, for transport failures, libcurl's explanation.
public struct UpstreamError: Error, CustomStringConvertible, Sendable {
    /// The transfer phase whose time limit ran out.
    public enum TimeoutPhase: String, Sendable {
        /// Establishing the connection.
        case connect
        /// Waiting for the response to start after the request was sent.
        case firstByte
        /// Waiting for the next piece of a response that already started.
        case idle
    }

    /// What kind of failure this is, for callers that map failures to status codes.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case cannotConnect, timeout, transferFailed, invalidRequest, cancelled, shutdown, setupFailed
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The connection could not be established (refused, DNS, TLS, proxy).
        public static let cannotConnect = Kind(.cannotConnect)
        /// A phase exceeded its ``UpstreamTimeouts`` limit; see ``UpstreamError/timeoutPhase``.
        public static let timeout = Kind(.timeout)
        /// The transfer broke after it started (connection reset, truncated body, protocol error).
        public static let transferFailed = Kind(.transferFailed)
        /// The request cannot be sent as given (malformed URL, unsupported scheme, line break in a header).
        public static let invalidRequest = Kind(.invalidRequest)
        /// The consumer stopped reading or its task was cancelled.
        public static let cancelled = Kind(.cancelled)
        /// The client was shut down before or during the transfer.
        public static let shutdown = Kind(.shutdown)
        /// libcurl could not be initialised.
        public static let setupFailed = Kind(.setupFailed)

        /// The kind's name, such as `cannotConnect`.
        public var description: String { base.rawValue }
    }

    private enum Detail: Sendable {
        case cannotConnect(cause: String)
        case timeout(TimeoutPhase, limit: Duration, cause: String?)
        case transferFailed(cause: String)
        case invalidRequest(cause: String)
        case cancelled
        case shutdown
        case setupFailed(cause: String)
    }

    private let detail: Detail
    /// The upstream origin the request went to, as `scheme://host:port`.
    public let upstream: String

    private init(_ detail: Detail, upstream: String) {
        self.detail = detail
        self.upstream = upstream
    }

    /// The kind of failure.
    public var kind: Kind {
        switch detail {
        case .cannotConnect: .cannotConnect
        case .timeout: .timeout
        case .transferFailed: .transferFailed
        case .invalidRequest: .invalidRequest
        case .cancelled: .cancelled
        case .shutdown: .shutdown
        case .setupFailed: .setupFailed
        }
    }

    /// `true` when a phase exceeded its time limit.
    public var isTimeout: Bool { timeoutPhase != nil }

    /// The phase that timed out, or `nil` for other failures.
    public var timeoutPhase: TimeoutPhase? {
        if case .timeout(let phase, _, _) = detail { return phase }
        return nil
    }

    /// What happened, to which upstream origin, and what to do about it.
    public var description: String {
        switch detail {
        case .cannotConnect(let cause):
            "cannot connect to upstream \(upstream): \(cause). Check the upstream URL, that the server is running, "
                + "and the http_proxy/https_proxy/no_proxy environment."
        case .timeout(.connect, let limit, let cause):
            "upstream \(upstream) did not accept a connection within \(Self.format(limit))"
                + (cause.map { " (\($0))" } ?? "") + ". Check the network path or raise the connect timeout."
        case .timeout(.firstByte, let limit, _):
            "upstream \(upstream) sent no response within \(Self.format(limit)) of receiving the request. "
                + "It may be overloaded; raise the first-byte timeout for slow models."
        case .timeout(.idle, let limit, _):
            "upstream \(upstream) sent nothing for \(Self.format(limit)) in the middle of a response; "
                + "the response is incomplete. Raise the idle timeout if the upstream pauses that long."
        case .transferFailed(let cause):
            "transfer from upstream \(upstream) failed: \(cause). The response is missing or incomplete."
        case .invalidRequest(let cause):
            "request to upstream \(upstream) cannot be sent: \(cause)."
        case .cancelled:
            "request to upstream \(upstream) was cancelled because its reader stopped."
        case .shutdown:
            "the upstream client was shut down; request to \(upstream) not completed. Create a new UpstreamClient."
        case .setupFailed(let cause):
            "libcurl could not be initialised: \(cause). Check the libcurl installation."
        }
    }

    private static func format(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(milliseconds) ms"
    }
}

extension UpstreamError {
    static func cannotConnect(_ upstream: String, cause: String) -> Self { .init(.cannotConnect(cause: cause), upstream: upstream) }
    static func timeout(_ upstream: String, phase: TimeoutPhase, limit: Duration, cause: String? = nil) -> Self {
        .init(.timeout(phase, limit: limit, cause: cause), upstream: upstream)
    }
    static func transferFailed(_ upstream: String, cause: String) -> Self { .init(.transferFailed(cause: cause), upstream: upstream) }
    static func invalidRequest(_ upstream: String, cause: String) -> Self { .init(.invalidRequest(cause: cause), upstream: upstream) }
    static func cancelled(_ upstream: String) -> Self { .init(.cancelled, upstream: upstream) }
    static func shutdown(_ upstream: String) -> Self { .init(.shutdown, upstream: upstream) }
    static func setupFailed(cause: String) -> Self { .init(.setupFailed(cause: cause), upstream: "libcurl") }
}
