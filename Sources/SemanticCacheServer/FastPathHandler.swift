import NIOCore
import SemanticCache

/// The first handler of a connection, in front of NIO's HTTP codec: it frames requests itself and
/// answers those the pipeline can answer at once (exact hits held in memory, rejected headers) with
/// one buffer, without NIO's decoder, pipelining handler, validator and encoder. Everything else
/// goes on to the codec byte for byte, with the pipeline's decision (``PreparedRequests``).
///
/// It answers a request itself only when it is a complete plain keep-alive HTTP/1.1 `POST` of at
/// most ``bodyLimit`` bytes and no response behind it is still owed (``ResponseEnded`` counts them
/// down), so responses keep the order of their requests. A request it cannot frame
/// (``RequestHead/Parse/unframeable``, a head over the header limit) hands the connection to the
/// codec for good.
final class FastPathHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private enum State {
        /// Reading the next request: the bytes not yet answered or passed on.
        case framing
        /// Passing on the rest of a body the codec is reading.
        case passingBody(remaining: Int)
        /// Everything goes to the codec from now on.
        case passive
    }

    /// Largest body the fast path waits for and answers; larger ones go to the codec as they come.
    static let bodyLimit = 64 * 1024

    private let router: SidecarRouter
    private let prepared: PreparedRequests
    private let maxHeadBytes: Int
    private let maxBodyBytes: Int
    private var state = State.framing
    private var input: ByteBuffer?
    /// Requests passed on to the codec whose responses have not ended.
    private var owed = 0
    private var readPending = false

    /// `maxHeadBytes` and `maxRequestBytes` are the server's limits: requests over them go to the
    /// codec and ``RequestHandler``, which refuse them.
    init(router: SidecarRouter, prepared: PreparedRequests, maxHeadBytes: Int, maxRequestBytes: Int) {
        self.router = router
        self.prepared = prepared
        self.maxHeadBytes = maxHeadBytes
        maxBodyBytes = min(Self.bodyLimit, maxRequestBytes)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if input == nil {
            input = bytes
        } else {
            input?.writeBuffer(&bytes)
        }
        processInput(context: context)
    }

    private func processInput(context: ChannelHandlerContext) {
        while let buffer = input, buffer.readableBytes > 0 {
            switch state {
            case .passive:
                input = nil
                context.fireChannelRead(wrapInboundOut(buffer))
                return
            case .passingBody(let remaining):
                let slice = takeInput(remaining)
                state = remaining > slice.readableBytes ? .passingBody(remaining: remaining - slice.readableBytes) : .framing
                context.fireChannelRead(wrapInboundOut(slice))
            case .framing:
                guard frameRequest(context: context) else { return }
            }
        }
        input = nil
    }

    /// Answers or passes on the request at the start of the input; false when it needs more bytes.
    private func frameRequest(context: ChannelHandlerContext) -> Bool {
        guard let buffer = input else { return false }
        let parse = buffer.withUnsafeReadableBytes { RequestHead.parse($0) }
        switch parse {
        case .incomplete where buffer.readableBytes <= maxHeadBytes:
            return false
        case .incomplete, .unframeable:
            state = .passive
            return true
        case .head(let head) where head.headLength > maxHeadBytes:
            state = .passive
            return true
        case .head(let head):
            let answerable = owed == 0 && head.isPlainKeepAlive && head.method == "POST" && head.contentLength <= maxBodyBytes
            if answerable {
                guard buffer.readableBytes >= head.headLength + head.contentLength else { return false }
                answerOrPass(head, takeInput(head.headLength + head.contentLength), context: context)
            } else {
                // Passed on as it comes: the codec reads the body (and refuses it when too large).
                let slice = takeInput(head.headLength + head.contentLength)
                let remaining = head.headLength + head.contentLength - slice.readableBytes
                if remaining > 0 { state = .passingBody(remaining: remaining) }
                pass(slice, decision: nil, context: context)
            }
            return true
        }
    }

    /// Removes the first `count` bytes of the input (all of it when it has fewer) and returns them.
    private func takeInput(_ count: Int) -> ByteBuffer {
        guard var buffer = input else { return ByteBuffer() }
        let slice = buffer.readSlice(length: min(count, buffer.readableBytes)) ?? ByteBuffer()
        input = buffer
        return slice
    }

    private func answerOrPass(_ head: RequestHead, _ requestBytes: ByteBuffer, context: ChannelHandlerContext) {
        let body = requestBytes.getBytes(at: requestBytes.readerIndex + head.headLength, length: head.contentLength) ?? []
        let request = IncomingRequest(method: head.method, uri: head.uri, headers: head.headers, body: body)
        let decision = router.prepare(request)
        if case .respond(let response) = decision {
            var out = context.channel.allocator.buffer(capacity: response.body.count + 512)
            if ResponseBytes.write(response, to: &out) {
                // Flushed at once, like the codec path: the client may close its side right after the request.
                context.writeAndFlush(wrapOutboundOut(.byteBuffer(out)), promise: nil)
                return
            }
        }
        pass(requestBytes, decision: decision, context: context)
    }

    private func pass(_ bytes: ByteBuffer, decision: Preparation?, context: ChannelHandlerContext) {
        owed += 1
        prepared.append(decision)
        context.fireChannelRead(wrapInboundOut(bytes))
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard event is ResponseEnded else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        owed = max(0, owed - 1)
        promise?.succeed()
    }

    // MARK: Backpressure

    /// Answers written here are not held back by NIO's pipelining handler: a client that sends
    /// requests without reading the answers is not read from until the socket drains.
    func read(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            context.read()
        } else {
            readPending = true
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, readPending {
            readPending = false
            context.read()
        }
        context.fireChannelWritabilityChanged()
    }
}
