import NIOCore
import NIOHTTP1

/// Writes one ``MockResponse`` on the channel's event loop: head delay, pieces, gate, chunk delays, faults.
final class MockResponseWriter {
    private let context: ChannelHandlerContext
    private let state: MockState
    private let response: MockResponse
    private let version: HTTPVersion
    private let keepAlive: Bool
    private let omitsBody: Bool
    private var nextChunk = 0
    private var passedGate = false
    private var delayedChunk = 0

    init(context: ChannelHandlerContext, state: MockState, response: MockResponse, request: HTTPRequestHead) {
        self.context = context
        self.state = state
        self.response = response
        version = request.version
        omitsBody = request.method == .HEAD
        // An HTTP/1.0 stream has no length and no chunked coding: only closing the connection ends it.
        keepAlive = request.isKeepAlive && !(response.isStreamed && request.version.minor == 0)
    }

    func start() {
        after(response.headDelay) { self.writeHead() }
    }

    private func writeHead() {
        guard context.channel.isActive else { return }
        if response.dropWithoutAnswer {
            context.close(promise: nil)
            return
        }
        var headers = HTTPHeaders(response.headers)
        if !response.isStreamed {
            headers.add(name: "content-length", value: String(response.chunks.reduce(0) { $0 + $1.count }))
        }
        if !keepAlive {
            headers.replaceOrAdd(name: "connection", value: "close")
        } else if version.minor == 0 {
            headers.replaceOrAdd(name: "connection", value: "keep-alive")
        }
        context.write(NIOAny(HTTPServerResponsePart.head(HTTPResponseHead(version: version, status: response.status, headers: headers))), promise: nil)
        writeChunks()
    }

    private func writeChunks() {
        while !omitsBody, nextChunk < response.chunks.count {
            guard context.channel.isActive else { return }
            if let dropAfter = response.dropAfterChunks, nextChunk >= dropAfter {
                context.flush()
                context.close(promise: nil)
                return
            }
            if nextChunk == 1, let gate = response.gate, !passedGate {
                passedGate = true
                context.flush()
                state.waitForGate(gate, on: context.eventLoop).hop(to: context.eventLoop).assumeIsolated().whenComplete { _ in
                    self.writeChunks()
                }
                return
            }
            if nextChunk > 0, response.chunkDelay > .zero, delayedChunk < nextChunk {
                delayedChunk = nextChunk
                context.flush()
                after(response.chunkDelay) { self.writeChunks() }
                return
            }
            let buffer = context.channel.allocator.buffer(bytes: response.chunks[nextChunk])
            context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(buffer))), promise: nil)
            nextChunk += 1
        }
        let keepAlive = keepAlive
        let context = context
        context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil))).assumeIsolated().whenComplete { _ in
            if !keepAlive { context.close(promise: nil) }
        }
    }

    private func after(_ delay: TimeAmount, _ body: @escaping () -> Void) {
        if delay > .zero {
            context.eventLoop.assumeIsolated().scheduleTask(in: delay, body)
        } else {
            body()
        }
    }
}
