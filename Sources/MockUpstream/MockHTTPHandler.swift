import NIOCore
import NIOHTTP1

/// Collects each request (answering `Expect: 100-continue` with an interim head), records it, and hands the routed response to a ``MockResponseWriter``.
///
/// Sits behind NIO's pipelining handler, which delivers one request at a time, so responses go out in order.
final class MockHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let state: MockState
    private let router: MockRouter
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()

    private let classes: MockAnswerClasses?

    init(state: MockState, latency: TimeAmount, classes: MockAnswerClasses?) {
        self.state = state
        self.classes = classes
        router = MockRouter(state: state, defaultLatency: latency)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body.clear()
            if requestHead.headers[canonicalForm: "expect"].contains(where: { $0.lowercased() == "100-continue" }) {
                let interim = HTTPResponseHead(version: requestHead.version, status: .continue)
                context.writeAndFlush(NIOAny(HTTPServerResponsePart.head(interim)), promise: nil)
            }
        case .body(var chunk):
            body.writeBuffer(&chunk)
        case .end:
            guard let requestHead = head else { return }
            head = nil
            let request = MockRequest(head: requestHead, body: body, classes: classes)
            state.recordRequest(path: request.path, headers: requestHead.headers.map { ($0.name, $0.value) })
            let writer = MockResponseWriter(context: context, state: state, response: router.response(for: request), request: requestHead)
            writer.start()
        }
    }
}
