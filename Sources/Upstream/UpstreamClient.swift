import CCurl
import Foundation

/// An HTTP client for upstream LLM APIs, built on libcurl's multi interface.
///
/// One dedicated thread owns the `CURLM` handle and runs every transfer; callers enqueue requests and
/// read responses as `AsyncThrowingStream`s, so no blocking libcurl call ever runs on the Swift
/// concurrency pool. Connections are kept alive and reused through the multi handle's connection cache.
///
/// - TLS verifies peers against the system CA store libcurl was built with.
/// - Proxies come from the environment as libcurl reads it: `http_proxy` (lower case only),
///   `https_proxy`/`HTTPS_PROXY`, `all_proxy`/`ALL_PROXY` and `no_proxy`/`NO_PROXY`.
/// - Backpressure: each response buffers at most ``Configuration/maxBufferedBytesPerTransfer`` bytes
///   for a slow consumer; beyond that the transfer is paused (`CURL_WRITEFUNC_PAUSE`) and resumed from
///   the loop thread once the consumer has read half of it.
/// - Cancellation: when the consumer stops iterating (or its task is cancelled) the transfer is
///   removed from the multi handle on the next loop iteration; the stream then throws
///   ``UpstreamError/Kind/cancelled``, never ends as if complete.
public final class UpstreamClient: Sendable {
    /// Client-wide settings; every property has the documented default.
    public struct Configuration: Sendable {
        /// Default timeouts, overridable per request by ``UpstreamRequest/timeouts``.
        public var timeouts: UpstreamTimeouts
        /// Transfers running at once (at least 1); further requests wait in a FIFO queue. Default 256.
        public var maxConcurrentTransfers: Int
        /// `User-Agent` sent when the request has none; `nil` sends no `User-Agent`. Default `nil`.
        public var userAgent: String?
        /// Lets libcurl log each transfer to standard error (`CURLOPT_VERBOSE`). Default `false`.
        public var verbose: Bool
        /// Response bytes buffered per transfer before it is paused for a slow consumer. Default 1 MiB.
        public var maxBufferedBytesPerTransfer: Int

        /// Creates a configuration.
        public init(
            timeouts: UpstreamTimeouts = .init(),
            maxConcurrentTransfers: Int = 256,
            userAgent: String? = nil,
            verbose: Bool = false,
            maxBufferedBytesPerTransfer: Int = 1 << 20
        ) {
            self.timeouts = timeouts
            self.maxConcurrentTransfers = maxConcurrentTransfers
            self.userAgent = userAgent
            self.verbose = verbose
            self.maxBufferedBytesPerTransfer = maxBufferedBytesPerTransfer
        }
    }

    private let configuration: Configuration
    private let commands: CommandQueue

    /// Initialises libcurl (once per process) and starts the client's transfer thread.
    ///
    /// - Throws: ``UpstreamError`` of kind ``UpstreamError/Kind/setupFailed`` when libcurl cannot start.
    public init(configuration: Configuration = .init()) throws {
        try CurlRuntime.initialize()
        guard let multi = curl_multi_init() else {
            throw UpstreamError.setupFailed(cause: "curl_multi_init returned no handle")
        }
        self.configuration = configuration
        commands = CommandQueue(multi: multi)
        let commands = commands
        let thread = Thread {
            // From here on the loop thread owns the multi handle; the queue keeps it only for wake-ups.
            guard let multi = commands.multiForOwner() else { return }
            TransferLoop(multi: multi, commands: commands, configuration: configuration).run()
        }
        thread.name = "semcache-upstream"
        thread.start()
    }

    deinit {
        commands.requestStop()
    }

    /// Sends a request; the stream yields the response head first, then body chunks as they arrive.
    ///
    /// The stream ends normally after the last chunk and throws ``UpstreamError`` on any failure, including
    /// after some chunks were delivered (a truncated response never looks complete).
    public func send(_ request: UpstreamRequest) -> AsyncThrowingStream<UpstreamEvent, any Error> {
        let origin = UpstreamOrigin.of(request.url)
        let id = commands.makeID()
        let channel = ResponseChannel(
            id: id, origin: origin, bufferLimit: configuration.maxBufferedBytesPerTransfer, commands: commands
        )
        let pending = PendingTransfer(
            id: id, request: request, timeouts: request.timeouts ?? configuration.timeouts, origin: origin, channel: channel
        )
        if !commands.submit(.start(pending)) {
            channel.finish(.shutdown(origin))
        }
        let reader = ResponseReader(channel)
        return AsyncThrowingStream { try await reader.next() }
    }

    /// Sends a request and collects the whole response.
    public func fetch(_ request: UpstreamRequest) async throws -> (status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        var status = 0
        var headers: [(name: String, value: String)] = []
        var body: [UInt8] = []
        for try await event in send(request) {
            switch event {
            case .head(let responseStatus, let responseHeaders):
                status = responseStatus
                headers = responseHeaders
            case .body(let chunk):
                body.append(contentsOf: chunk)
            }
        }
        return (status, headers, body)
    }

    /// Stops the transfer thread. Queued and in-flight transfers fail with ``UpstreamError/Kind/shutdown``
    /// shortly after; later ``send(_:)`` calls fail at once. Safe to call more than once.
    public func shutdown() {
        commands.requestStop()
    }
}

/// The consumer's end of a response: reads the channel and, when released, cancels an unfinished transfer.
private final class ResponseReader: Sendable {
    private let channel: ResponseChannel

    init(_ channel: ResponseChannel) {
        self.channel = channel
    }

    deinit {
        channel.stopConsuming()
    }

    func next() async throws -> UpstreamEvent? {
        try await channel.next()
    }
}
