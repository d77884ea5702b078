/// One HTTP request to send upstream.
///
/// Headers are sent as given, in order, duplicates included. The caller removes hop-by-hop headers
/// (`Connection`, `Keep-Alive`, `Transfer-Encoding`, `TE`, `Upgrade`, `Proxy-*`) before sending.
/// `Host`, `Content-Length` and `Transfer-Encoding` are always derived by libcurl from ``url`` and
/// ``body``; when present in ``headers`` they are skipped. libcurl's own defaults (`Accept: */*`,
/// `Expect: 100-continue`, a form `Content-Type` on bodies) are suppressed unless the caller sends them.
public struct UpstreamRequest: Sendable {
    /// The HTTP method, sent verbatim (`GET`, `POST`, `PUT`, `DELETE`, …).
    public var method: String
    /// The absolute `http://` or `https://` URL, including path and query.
    public var url: String
    /// Request headers, in order; an empty value is sent as an empty header.
    public var headers: [(name: String, value: String)]
    /// The request body; empty means no body (a `POST`, `PUT` or `PATCH` then sends `Content-Length: 0`).
    public var body: [UInt8]
    /// Per-request timeouts; `nil` uses the client's ``UpstreamClient/Configuration/timeouts``.
    public var timeouts: UpstreamTimeouts?

    /// Creates a request.
    public init(
        method: String = "GET",
        url: String,
        headers: [(name: String, value: String)] = [],
        body: [UInt8] = [],
        timeouts: UpstreamTimeouts? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeouts = timeouts
    }
}

/// How long each phase of an upstream transfer may take before it fails with ``UpstreamError``.
public struct UpstreamTimeouts: Sendable, Equatable {
    /// Time to establish the connection (DNS, TCP, TLS, proxy). Default 10 s.
    public var connect: Duration
    /// Time from sending the request to the first byte of the response head. Default 120 s.
    public var firstByte: Duration
    /// Longest gap between two pieces of the response once it started. Default 120 s.
    /// Time the transfer spends paused because the consumer is slow does not count.
    public var idle: Duration

    /// Creates timeouts; every argument has the documented default.
    public init(connect: Duration = .seconds(10), firstByte: Duration = .seconds(120), idle: Duration = .seconds(120)) {
        self.connect = connect
        self.firstByte = firstByte
        self.idle = idle
    }
}

/// One piece of an upstream response, in arrival order.
///
/// A stream yields exactly one ``head(status:headers:)`` first, then zero or more ``body(_:)`` chunks,
/// then ends normally; any failure ends it with an ``UpstreamError`` instead.
public enum UpstreamEvent: Sendable {
    /// Status and headers of the final response (interim `1xx` heads are skipped; redirects are not followed).
    ///
    /// Headers are as received (CRLF trimmed, order and duplicates kept) and include hop-by-hop headers such as
    /// `Transfer-Encoding` and `Connection`: the caller removes them. Chunked transfer coding is already
    /// decoded in the ``body(_:)`` chunks; content coding (`Content-Encoding: gzip`) is not.
    case head(status: Int, headers: [(name: String, value: String)])
    /// The next body bytes, exactly as received (after chunked decoding).
    case body([UInt8])
}
