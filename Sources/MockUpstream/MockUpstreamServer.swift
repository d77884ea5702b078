import NIOCore
import NIOHTTP1
import NIOPosix

/// A fast, deterministic stand-in for the OpenAI and Anthropic APIs, for tests, demos and benchmarks.
///
/// Serves `POST /v1/chat/completions`, `/v1/completions`, `/v1/embeddings`, `/v1/messages` and `/v1/responses`
/// (JSON or SSE, in the real wire formats), `GET /v1/responses/{id}` for stored responses, pass-through targets (`/anything/...` echo and any other path,
/// `GET /v1/files/binary`, `GET /_mock/bytes?size=N`) and control endpoints (`GET /_mock/stats`,
/// `POST /_mock/release?gate=NAME`). Request headers select faults (`X-Mock-Fault`), delays
/// (`X-Mock-Latency-Ms`, `X-Mock-Delay-Ms`, `X-Mock-Chunk-Delay-Ms`) and stream gates
/// (`X-Mock-Stream-Gate`). All I/O runs on NIO event loops; HTTP/1.1 keep-alive and pipelining and
/// HTTP/1.0 are supported.
public final class MockUpstreamServer: Sendable {
    /// Where to listen and how slow to be.
    public struct Configuration: Sendable {
        /// Address to bind. Default `127.0.0.1`.
        public var host: String
        /// Port to bind; 0 picks a free port (read it back from ``MockUpstreamServer/port``). Default 0.
        public var port: Int
        /// Delay before every response head, unless a request sets `X-Mock-Latency-Ms`. Default zero.
        public var latency: Duration
        /// Event-loop threads. Default: one per core.
        public var threads: Int
        /// Paraphrase classes: chat and messages prompts of one class get one answer. Default none.
        public var classes: MockAnswerClasses?

        /// Creates a configuration.
        public init(
            host: String = "127.0.0.1", port: Int = 0, latency: Duration = .zero, threads: Int = System.coreCount, classes: MockAnswerClasses? = nil
        ) {
            self.host = host
            self.port = port
            self.latency = latency
            self.threads = threads
            self.classes = classes
        }
    }

    /// The bytes served by `GET /v1/files/binary`: every byte value, led by sequences that are not UTF-8.
    public static let binaryFileBytes: [UInt8] = [0xFF, 0xFE, 0x00, 0xC3, 0x28, 0xA0, 0xA1, 0xE2, 0x28, 0xA1, 0x80] + (0...255)

    /// The bytes served by `GET /_mock/bytes?size=N`: a repeating pattern, so any offset can be checked.
    public static func patternBytes(count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: ($0 &* 31 &+ 7) % 251) }
    }

    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let state: MockState

    /// The port the server listens on.
    public let port: Int
    /// `http://HOST:PORT`, the base URL to point a client at.
    public let baseURL: String

    private init(group: MultiThreadedEventLoopGroup, channel: any Channel, state: MockState, host: String, port: Int) {
        self.group = group
        self.channel = channel
        self.state = state
        self.port = port
        baseURL = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }

    /// Binds and starts serving.
    public static func start(_ configuration: Configuration = .init()) async throws -> MockUpstreamServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.threads))
        let state = MockState()
        let latency = TimeAmount(configuration.latency)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 1024)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                state.recordConnection()
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(MockHTTPHandler(state: state, latency: latency, classes: configuration.classes))
                }
            }
        do {
            let channel = try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
            let port = channel.localAddress?.port ?? configuration.port
            return MockUpstreamServer(group: group, channel: channel, state: state, host: configuration.host, port: port)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// Stops listening, closes every connection and releases all gates.
    public func stop() async throws {
        state.releaseAllGates()
        try? await channel.close()
        try await group.shutdownGracefully()
    }

    /// Suspends until the server stops.
    public func waitUntilStopped() async throws {
        try await channel.closeFuture.get()
    }

    /// Requests received for `path` (without query), including those answered with a fault.
    public func requestCount(path: String) -> Int {
        state.requestCount(path: path)
    }

    /// TCP connections accepted since start (a client that reuses connections keeps this low).
    public var acceptedConnectionCount: Int {
        state.acceptedConnections
    }

    /// Lets responses held by `X-Mock-Stream-Gate: name` continue; later responses with that gate are not held.
    public func releaseGate(_ name: String) {
        state.releaseGate(name)
    }

    /// Headers of the last request received for `path`, in order, exactly as received.
    public func lastRequestHeaders(path: String) -> [(String, String)] {
        state.lastHeaders(path: path)
    }
}
