import NIOCore
import NIOHTTP1
import SemanticCache

/// Collects one HTTP request at a time from a connection (NIO's pipelining handler before it
/// holds later requests back until this one's response has ended) and hands it to the router,
/// with the decision ``FastPathHandler`` already had made for it, if any. Every response it starts
/// ends with a ``ResponseEnded`` event toward the fast path.
final class RequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        case idle
        /// The body so far; nil before its first part (which is then kept as it came, not copied).
        case receiving(HTTPRequestHead, ByteBuffer?)
        /// The body went over the hard limit: the 413 is written and the connection closes.
        case rejected
    }

    private var state = State.idle
    private let router: SidecarRouter
    private let prepared: PreparedRequests
    /// `--max-request-bytes`: larger bodies are refused (smaller ones over `--max-body-bytes` are
    /// still forwarded, uncached, by the pipeline).
    private let maxRequestBytes: Int
    /// Runs this connection's request tasks on its event loop.
    private let executor: EventLoopTaskExecutor

    init(router: SidecarRouter, prepared: PreparedRequests, maxRequestBytes: Int, eventLoop: any EventLoop) {
        self.router = router
        self.prepared = prepared
        self.maxRequestBytes = maxRequestBytes
        executor = EventLoopTaskExecutor(eventLoop)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (unwrapInboundIn(data), state) {
        case (.head(let head), _):
            if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > maxRequestBytes {
                reject(context: context, head: head)
            } else {
                state = .receiving(head, nil)
            }
        case (.body(var chunk), .receiving(let head, var body)):
            if (body?.readableBytes ?? 0) + chunk.readableBytes > maxRequestBytes {
                reject(context: context, head: head)
            } else if body == nil {
                state = .receiving(head, chunk)
            } else {
                state = .idle  // release the buffer's reference before appending, so it is not copied
                body?.writeBuffer(&chunk)
                state = .receiving(head, body)
            }
        case (.end, .receiving(let head, let body)):
            state = .idle
            dispatch(head: head, body: body, context: context)
        case (.body, _), (.end, _):
            break
        }
    }

    private func dispatch(head: HTTPRequestHead, body: ByteBuffer?, context: ChannelHandlerContext) {
        let request = IncomingRequest(
            method: head.method.rawValue, uri: head.uri,
            headers: head.headers.map { (name: $0.name, value: $0.value) },
            body: body.map { Array($0.readableBytesView) } ?? [])
        let keepAlive = head.isKeepAlive
        let router = router
        switch prepared.next() ?? router.prepare(request) {
        case .respond(let response):
            // A hit held in memory (or a rejected request): written here, in one flush, no task.
            respond(response, version: head.version, keepAlive: keepAlive, context: context)
        case .process(let prepared):
            let writer = ChannelResponseWriter(channel: context.channel, version: head.version, keepAlive: keepAlive)
            // Starts on this thread (the event loop) and stays on it across awaits.
            Task.immediate(executorPreference: executor) { await router.pipeline.handle(prepared, writer: writer) }
        case nil:
            let writer = ChannelResponseWriter(channel: context.channel, version: head.version, keepAlive: keepAlive)
            Task.immediate(executorPreference: executor) { await router.handle(request, writer: writer) }
        }
    }

    private func respond(_ response: CompleteResponse, version: HTTPVersion, keepAlive: Bool, context: ChannelHandlerContext) {
        let responseHead = ChannelResponseWriter.responseHead(
            status: response.status, headers: response.headers, contentLength: response.body.count, version: version, keepAlive: keepAlive)
        context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
        if !response.body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: response.body)))), promise: nil)
        }
        defer { context.triggerUserOutboundEvent(ResponseEnded(), promise: nil) }
        guard !keepAlive else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            return
        }
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }

    private func reject(context: ChannelHandlerContext, head: HTTPRequestHead) {
        state = .rejected
        let writer = ChannelResponseWriter(channel: context.channel, version: head.version, keepAlive: false)
        let response = CompleteResponse.error(
            status: 413, type: "request_too_large",
            message: "the request body is larger than semcache's limit of \(maxRequestBytes) bytes (--max-request-bytes)",
            shape: ErrorShape(path: head.uri))
        Task { try? await response.write(to: writer) }
    }
}
