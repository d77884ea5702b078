import NIOCore
import NIOHTTP1
import SemanticCache
import Synchronization

/// Writes a response to one HTTP/1 connection, from any task: each call hops to the channel's
/// event loop and returns once the part was written, so a slow client slows its own stream only.
/// The end of every response is announced to ``FastPathHandler`` (``ResponseEnded``).
struct ChannelResponseWriter: ResponseWriter {
    let channel: any Channel
    let version: HTTPVersion
    /// False for HTTP/1.0 without keep-alive and for `Connection: close`: the connection closes after the response.
    let keepAlive: Bool
    /// Set by ``writeHead`` when the head declares a `content-length`.
    private let framing = Framing()

    init(channel: any Channel, version: HTTPVersion, keepAlive: Bool) {
        self.channel = channel
        self.version = version
        self.keepAlive = keepAlive
    }

    /// A head with a `content-length` is written without a flush: its body follows at once, and one
    /// flush (one `write` system call) then carries both. A stream's head is flushed on the event
    /// loop's next turn: a first chunk that is already there goes out in the same system call, and
    /// when the upstream is slow to send one the client still gets the head at once.
    func writeHead(status: Int, headers: HeaderList) async throws {
        let head = HTTPServerResponsePart.head(responseHead(status: status, headers: headers))
        if headers.first(named: "content-length") != nil {
            framing.lengthDeclared.store(true, ordering: .relaxed)
            channel.write(head, promise: nil)
        } else {
            channel.write(head, promise: nil)
            let channel = channel
            channel.eventLoop.execute { channel.flush() }
        }
    }

    func writeBody(_ bytes: [UInt8]) async throws {
        let buffer = channel.allocator.buffer(bytes: bytes)
        try await channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(buffer))).get()
    }

    /// With a `content-length` the end puts nothing on the wire: once the body is written the client
    /// has the whole response and may close at once, so a failure to write the end is no failure of
    /// the response. A chunked response's end is its terminating chunk; failing to write it is one.
    func end() async throws {
        let written: EventLoopFuture<Void> = channel.writeAndFlush(HTTPServerResponsePart.end(nil))
        channel.triggerUserOutboundEvent(ResponseEnded(), promise: nil)
        if framing.lengthDeclared.load(ordering: .relaxed) {
            try? await written.get()
        } else {
            try await written.get()
        }
        if !keepAlive { try? await channel.close().get() }
    }

    func abort() async {
        try? await channel.close().get()
    }

    func writeComplete(status: Int, headers: HeaderList, body: [UInt8]) async throws {
        let head = responseHead(status: status, headers: headers)
        let buffer = channel.allocator.buffer(bytes: body)
        let keepAlive = keepAlive
        let channel = channel
        @Sendable func writeAll() -> EventLoopFuture<Void> {
            channel.write(HTTPServerResponsePart.head(head), promise: nil)
            if buffer.readableBytes > 0 { channel.write(HTTPServerResponsePart.body(.byteBuffer(buffer)), promise: nil) }
            let done = channel.writeAndFlush(HTTPServerResponsePart.end(nil))
            channel.triggerUserOutboundEvent(ResponseEnded(), promise: nil)
            return keepAlive ? done : done.flatMap { channel.close() }
        }
        // On the event loop already (the request's task runs there): write at once, one flush.
        if channel.eventLoop.inEventLoop {
            try await writeAll().get()
        } else {
            try await channel.eventLoop.flatSubmit(writeAll).get()
        }
    }

    private func responseHead(status: Int, headers: HeaderList) -> HTTPResponseHead {
        Self.responseHead(status: status, headers: headers, version: version, keepAlive: keepAlive)
    }

    /// `contentLength`, when given, is added as the `content-length` header.
    static func responseHead(status: Int, headers: HeaderList, contentLength: Int? = nil, version: HTTPVersion, keepAlive: Bool) -> HTTPResponseHead {
        var fields = HTTPHeaders()
        fields.reserveCapacity(headers.count + 2)
        for header in headers { fields.add(name: header.name, value: header.value) }
        if let contentLength { fields.add(name: "content-length", value: String(contentLength)) }
        if !keepAlive { fields.replaceOrAdd(name: "connection", value: "close") }
        return HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: status), headers: fields)
    }
}

/// Whether a response's head declared its length (see ``ChannelResponseWriter/end()``).
private final class Framing: Sendable {
    let lengthDeclared = Atomic<Bool>(false)
}
