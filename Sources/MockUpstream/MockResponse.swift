import NIOHTTP1
import NIOCore

/// What the mock sends for one request, and how (delays, gates, faults).
struct MockResponse {
    var status: HTTPResponseStatus
    var headers: [(String, String)]
    /// Body pieces, written in order. A complete body is one piece with a `content-length`.
    var chunks: [[UInt8]]
    /// `true` for event streams: no `content-length`, chunked transfer coding on HTTP/1.1.
    var isStreamed: Bool
    /// Delay before the response head.
    var headDelay: TimeAmount = .zero
    /// Delay before each piece after the first.
    var chunkDelay: TimeAmount = .zero
    /// Hold everything after the first piece until this gate is released.
    var gate: String?
    /// Close the connection after this many pieces, without finishing the response.
    var dropAfterChunks: Int?
    /// Close the connection without answering at all.
    var dropWithoutAnswer = false

    static func complete(_ status: HTTPResponseStatus, contentType: String, body: [UInt8], headers: [(String, String)] = []) -> Self {
        MockResponse(status: status, headers: [("content-type", contentType)] + headers, chunks: [body], isStreamed: false)
    }

    static func json(_ value: JSONValue, status: HTTPResponseStatus = .ok, headers: [(String, String)] = []) -> Self {
        .complete(status, contentType: "application/json", body: Array(value.serialized.utf8), headers: headers)
    }

    static func eventStream(_ events: [String]) -> Self {
        MockResponse(
            status: .ok,
            headers: [("content-type", "text/event-stream; charset=utf-8"), ("cache-control", "no-cache")],
            chunks: events.map { Array($0.utf8) },
            isStreamed: true
        )
    }

    /// Makes the connection close halfway through the body: after half the events of a stream, or after
    /// the first half of a complete body (whose `content-length` still announces the whole).
    mutating func dropMidway() {
        if isStreamed {
            dropAfterChunks = max(1, chunks.count / 2)
        } else {
            let body = Array(chunks.joined())
            let half = body.count / 2
            headers.append(("content-length", String(body.count)))
            chunks = [Array(body[..<half]), Array(body[half...])]
            isStreamed = true  // content-length is set by hand above
            dropAfterChunks = 1
        }
    }
}

/// Server-sent event framing.
enum ServerSentEvent {
    /// OpenAI style: `data: {json}` and a blank line.
    static func data(_ value: JSONValue) -> String { "data: \(value.serialized)\n\n" }
    /// OpenAI's terminator.
    static let done = "data: [DONE]\n\n"
    /// Anthropic style: a named event whose data carries the same `type`.
    static func event(_ name: String, _ value: JSONValue) -> String { "event: \(name)\ndata: \(value.serialized)\n\n" }
}
