import NIOCore
import SemanticCache
@testable import SemanticCacheServer
import Testing

/// The fast path's request framing (``RequestHead``) and response bytes (``ResponseBytes``), as pure logic.
@Suite struct RequestHeadTests {
    static func parse(_ text: String) -> RequestHead.Parse {
        Array(text.utf8).withUnsafeBytes { RequestHead.parse($0) }
    }

    static func head(_ text: String) -> RequestHead? {
        if case .head(let head) = parse(text) { return head }
        return nil
    }

    @Test func readsAPlainPost() throws {
        let text = "POST /v1/chat/completions?x=1 HTTP/1.1\r\nHost: h\r\nAuthorization:  Bearer sk-1 \r\nContent-Length: 12\r\n\r\n{\"model\":1}"
        let head = try #require(Self.head(text))
        #expect(head.method == "POST")
        #expect(head.uri == "/v1/chat/completions?x=1")
        #expect(head.version == .http11)
        #expect(head.headers.map(\.name) == ["Host", "Authorization", "Content-Length"])
        #expect(head.headers[1].value == "Bearer sk-1", "surrounding whitespace is not part of the value")
        #expect(head.contentLength == 12)
        #expect(head.headLength == text.utf8.count - 11)
        #expect(head.isPlainKeepAlive)
    }

    @Test func waitsForTheEmptyLine() {
        #expect(Self.parse("POST / HTTP/1.1\r\nHost: h\r\n") == .incomplete)
        #expect(Self.parse("POS") == .incomplete)
        #expect(Self.parse("") == .incomplete)
    }

    @Test func requestsOnlyTheCodecShouldReadAreUnframeable() {
        let unframeable = [
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
            "POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
            "POST / HTTP/1.1\r\nContent-Length: 3x\r\n\r\n",
            "POST / HTTP/1.1\r\nContent-Length: -3\r\n\r\n",
            "POST / HTTP/1.1\nHost: h\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n",
            "POST / HTTP/1.1\r\nBad Name: v\r\n\r\n",
            "POST / HTTP/1.1\r\nX: a\u{1}b\r\n\r\n",
            "GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
            "CONNECT h:443 HTTP/1.1\r\n\r\n",
            "POST / HTTP/2.0\r\n\r\n",
            "POST  / HTTP/1.1\r\n\r\n",
            "POST /\u{7F} HTTP/1.1\r\n\r\n",
        ]
        for text in unframeable { #expect(Self.parse(text) == .unframeable, "\(text.debugDescription)") }
    }

    @Test func onlyPlainKeepAliveHTTP11MayBeAnsweredDirectly() {
        #expect(Self.head("POST / HTTP/1.1\r\nConnection: keep-alive\r\n\r\n")?.isPlainKeepAlive == true)
        #expect(Self.head("POST / HTTP/1.1\r\nConnection: close\r\n\r\n")?.isPlainKeepAlive == false)
        #expect(Self.head("POST / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")?.isPlainKeepAlive == false)
        #expect(Self.head("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")?.isPlainKeepAlive == false)
        #expect(Self.head("GET /x HTTP/1.1\r\n\r\n")?.contentLength == 0)
    }

    @Test func responseBytesAreWhatTheEncoderWouldWrite() throws {
        let response = CompleteResponse(status: 200, headers: [("content-type", "application/json"), ("x-semcache", "hit-exact")], body: Array("{}".utf8))
        var buffer = ByteBuffer()
        #expect(ResponseBytes.write(response, to: &buffer))
        let expected = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-semcache: hit-exact\r\ncontent-length: 2\r\n\r\n{}"
        #expect(buffer.readString(length: buffer.readableBytes) == expected)
    }

    @Test func responsesTheEncoderWouldRefuseOrReframeAreLeftToIt() {
        let refused = [
            CompleteResponse(status: 200, headers: [("content-type", "text/plain\r\nx-injected: 1")], body: []),
            CompleteResponse(status: 200, headers: [("bad name", "v")], body: []),
            CompleteResponse(status: 204, headers: [], body: []),
            CompleteResponse(status: 304, headers: [], body: []),
        ]
        for response in refused {
            var buffer = ByteBuffer()
            #expect(!ResponseBytes.write(response, to: &buffer))
            #expect(buffer.readableBytes == 0)
        }
    }
}
