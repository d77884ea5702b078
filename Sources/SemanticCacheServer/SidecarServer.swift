import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import SemanticCache
import Upstream

/// The HTTP/1.1 front of the sidecar (SwiftNIO): binds, accepts connections and routes requests.
public final class SidecarServer: Sendable {
    /// Where to listen and how.
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        public var cache: SidecarConfiguration
        /// Bearer token for `/_semcache/*` and `/metrics`; nil: open on a loopback bind, disabled on any other.
        public var adminToken: String?
        /// Largest request header field, and largest sum of all header fields; beyond it the
        /// request gets 400 and the connection closes. Default 80 KiB.
        public var maxHeaderBytes: Int

        public init(host: String = "127.0.0.1", port: Int = 8080, cache: SidecarConfiguration, maxHeaderBytes: Int = 80 * 1024) {
            self.host = host
            self.port = port
            self.cache = cache
            self.maxHeaderBytes = maxHeaderBytes
        }
    }

    /// The pipeline requests go through (counters, index).
    public let pipeline: CachePipeline
    /// Who may use the admin endpoints, in one line (never the token).
    public let adminAccess: String
    private let channel: any Channel
    private let group: MultiThreadedEventLoopGroup

    /// The port actually bound (useful with port 0).
    public var port: Int { channel.localAddress?.port ?? 0 }

    private init(pipeline: CachePipeline, adminAccess: String, channel: any Channel, group: MultiThreadedEventLoopGroup) {
        self.pipeline = pipeline
        self.adminAccess = adminAccess
        self.channel = channel
        self.group = group
    }

    /// Opens the store, loads the index and starts listening.
    ///
    /// - Throws: the store's error when it cannot be opened (see ``SidecarConfiguration/startWithoutStore``),
    ///   a ``ListenError`` when the address cannot be bound.
    public static func start(_ configuration: Configuration, logger: Logger, upstream: UpstreamClient? = nil) async throws -> SidecarServer {
        let pipeline = try await CachePipeline.start(configuration: configuration.cache, logger: logger, upstream: upstream)
        let access = AdminAccess(host: configuration.host, token: configuration.adminToken)
        let router = SidecarRouter(pipeline: pipeline, admin: AdminAPI(pipeline: pipeline), access: access)
        let maxRequest = configuration.cache.maxRequestBytes
        let limits = {
            var limits = NIOHTTPDecoderLimitConfiguration()
            limits.maxHeaderFieldSize = configuration.maxHeaderBytes
            limits.maxHeaderListSize = configuration.maxHeaderBytes
            return limits
        }()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        do {
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 1024)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                            withPipeliningAssistance: true, withErrorHandling: true,
                            withEncoderConfiguration: .init(), withDecoderLimitConfiguration: limits)
                        let prepared = PreparedRequests()
                        try channel.pipeline.syncOperations.addHandler(
                            FastPathHandler(router: router, prepared: prepared, maxHeadBytes: configuration.maxHeaderBytes, maxRequestBytes: maxRequest),
                            position: .first)
                        try channel.pipeline.syncOperations.addHandler(
                            RequestHandler(router: router, prepared: prepared, maxRequestBytes: maxRequest, eventLoop: channel.eventLoop))
                    }
                }
                .bind(host: configuration.host, port: configuration.port)
                .get()
            return SidecarServer(pipeline: pipeline, adminAccess: access.summary, channel: channel, group: group)
        } catch {
            await pipeline.shutdown(deadline: .zero)
            try? await group.shutdownGracefully()
            throw ListenError(error, host: configuration.host, port: configuration.port)
        }
    }

    /// Runs until ``stop()`` is called or the listening socket closes.
    public func waitUntilStopped() async throws {
        try await channel.closeFuture.get()
    }

    /// Stops accepting connections, lets requests in flight finish (at most `deadline`) and their
    /// store writes complete, then closes every connection and the upstream client. The deadline
    /// defaults to ``SidecarConfiguration/shutdownTimeout``.
    public func stop(deadline: Duration? = nil) async throws {
        try? await channel.close().get()
        await pipeline.shutdown(deadline: deadline ?? pipeline.configuration.shutdownTimeout)
        try await group.shutdownGracefully()
    }
}
