import Foundation
import Testing

/// Malformed, odd and slow requests over raw TCP: the sidecar answers (its own 4xx, or the
/// upstream's answer through pass-through) and then still serves a normal request.
@Suite struct BadInputTests {
    static func post(_ body: [UInt8], path: String = "/v1/chat/completions", extraHeaders: String = "") -> [UInt8] {
        Array("POST \(path) HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk-raw\r\nContent-Type: application/json\r\n\(extraHeaders)Content-Length: \(body.count)\r\n\r\n".utf8) + body
    }

    /// Sends `bytes` on a new connection and reads one response; then checks a normal request still works.
    static func expectAnswer(_ harness: Harness, _ bytes: [UInt8], _ what: String, statuses: ClosedRange<Int> = 200...499) async throws {
        let port = harness.sidecar.port
        let response = try await offPool {
            let connection = try RawHTTPConnection(port: port)
            try connection.send(bytes)
            return try connection.readResponse()
        }
        #expect(statuses.contains(response.status), "\(what): status \(response.status) \(response.text.prefix(200))")
        try await expectStillServing(harness, after: what)
    }

    static func expectStillServing(_ harness: Harness, after what: String) async throws {
        let normal = try await harness.post("/v1/chat/completions", json: Harness.chat("still alive after \(what)?"))
        #expect(normal.status == 200, "after \(what)")
    }

    static let malformedBodies: [(String, [UInt8])] = [
        ("invalid JSON", Array(#"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}"#.utf8)),
        ("wrong types", Array(#"{"model":5,"temperature":"0","messages":"hello","stream":"yes"}"#.utf8)),
        ("huge numbers", Array(#"{"model":"m","temperature":0,"max_tokens":123456789012345678901234567890123456789,"top_p":1e999999,"seed":-1e-999999,"messages":[{"role":"user","content":"n"}]}"#.utf8)),
        ("deep nesting", Array(String(repeating: "[", count: 100_000).utf8)),
        ("deep objects", Array((String(repeating: #"{"a":"#, count: 20_000) + "1" + String(repeating: "}", count: 20_000)).utf8)),
        ("invalid UTF-8", Array(#"{"model":"m","temperature":0,"messages":[{"role":"user","content":""#.utf8) + [0xC3, 0x28, 0xFF, 0xFE, 0xED, 0xA0, 0x80] + Array(#""}]}"#.utf8)),
        ("empty body", []),
        ("NUL bytes", [0, 0, 0, 0]),
        ("a JSON string, not an object", Array(#""just a string""#.utf8)),
        ("duplicate keys", Array(#"{"model":"a","model":"b","temperature":0,"temperature":1,"messages":[{"role":"user","content":"dup"}]}"#.utf8)),
    ]

    @Test func malformedBodiesAreAnswered() async throws {
        try await Harness.with { harness in
            for (what, body) in Self.malformedBodies {
                for path in ["/v1/chat/completions", "/v1/embeddings", "/v1/messages"] {
                    try await Self.expectAnswer(harness, Self.post(body, path: path), "\(what) on \(path)")
                }
            }
        }
    }

    @Test func chunkedRequestBodiesAreCachedLikeAnyOther() async throws {
        try await Harness.with { harness in
            let body = Array(Harness.chat("chunked upload").utf8)
            var bytes = Array("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk-test-key\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
            for piece in stride(from: 0, to: body.count, by: 7).map({ body[$0..<min($0 + 7, body.count)] }) {
                bytes += Array(String(piece.count, radix: 16).utf8) + [13, 10] + piece + [13, 10]
            }
            bytes += Array("0\r\n\r\n".utf8)
            let request = bytes
            let port = harness.sidecar.port
            let chunked = try await offPool {
                let connection = try RawHTTPConnection(port: port)
                try connection.send(request)
                return try connection.readResponse()
            }
            #expect(chunked.status == 200)
            #expect(chunked.header("x-semcache") == "miss")
            let plain = try await harness.post("/v1/chat/completions", json: Harness.chat("chunked upload"))
            #expect(plain.header("x-semcache") == "hit-exact")
            #expect(plain.body == chunked.body)
        }
    }

    @Test func http10IsAnsweredAndTheConnectionClosed() async throws {
        try await Harness.with { harness in
            let port = harness.sidecar.port
            for stream in [false, true] {
                let body = Array(Harness.chat("over HTTP/1.0", stream: stream).utf8)
                let request = Array("POST /v1/chat/completions HTTP/1.0\r\nAuthorization: Bearer sk-test-key\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body
                let (response, closed) = try await offPool {
                    let connection = try RawHTTPConnection(port: port)
                    try connection.send(request)
                    let response = try connection.readResponse()
                    return (response, connection.isClosedByServer())
                }
                #expect(response.status == 200)
                #expect(closed)
                #expect(response.text.contains(stream ? "[DONE]" : "chat.completion"))
            }
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await Harness.with { harness in
            let port = harness.sidecar.port
            let questions = ["first in the pipe", "second in the pipe", "third in the pipe"]
            let bytes = questions.flatMap { Self.post(Array(Harness.chat($0).utf8)) }
                + Array("GET /_semcache/health HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
            let responses = try await offPool {
                let connection = try RawHTTPConnection(port: port)
                try connection.send(bytes)
                return try (0..<4).map { _ in try connection.readResponse() }
            }
            for (question, response) in zip(questions, responses) {
                #expect(response.status == 200)
                #expect(response.text.contains(question), "answers arrive in request order")
            }
            #expect(responses[3].text.contains("status"))
        }
    }

    @Test func aSlowClientDoesNotHoldUpOthers() async throws {
        try await Harness.with { harness in
            let port = harness.sidecar.port
            let request = Self.post(Array(Harness.chat("sent one byte at a time").utf8))
            let half = request.count / 2
            let progress = SlowSendProgress()
            let othersDone = DispatchSemaphore(value: 0)
            // Sends byte by byte (about 1 s in all); halfway it waits until the other requests were answered.
            let slow = Task {
                try await offPool {
                    let connection = try RawHTTPConnection(port: port)
                    for (index, byte) in request.enumerated() {
                        if index == half { othersDone.wait() }
                        try connection.send([byte])
                        progress.sent = index + 1
                        usleep(UInt32(1_000_000 / request.count))
                    }
                    return try connection.readResponse()
                }
            }
            while progress.sent < half { try await Task.sleep(for: .milliseconds(5)) }
            for index in 0..<5 {
                let other = try await harness.post("/v1/chat/completions", json: Harness.chat("while the slow one types \(index)"))
                #expect(other.status == 200)
            }
            #expect(progress.sent == half, "the slow request is still incomplete")
            othersDone.signal()
            #expect(try await slow.value.status == 200)
        }
    }

    @Test func oversizedHeadersAreRejectedAndTheServerCarriesOn() async throws {
        try await Harness.with { harness in
            let port = harness.sidecar.port
            let huge = "X-Huge: " + String(repeating: "h", count: 200 * 1024) + "\r\n"
            let request = Self.post(Array(Harness.chat("big header").utf8), extraHeaders: huge)
            // The sidecar answers 400 and closes without reading the rest, so the kernel may reset the
            // connection before the client reads the 400: either is a refusal.
            let response = try await offPool { () -> RawHTTPConnection.Response? in
                let connection = try RawHTTPConnection(port: port)
                try? connection.send(request)
                return try? connection.readResponse()
            }
            if let response { #expect(response.status == 400) }
            #expect(harness.mock.requestCount(path: "/v1/chat/completions") == 0)
            try await Self.expectStillServing(harness, after: "an oversized header")
        }
    }

    @Test func garbageInsteadOfHTTPGetsA400() async throws {
        try await Harness.with { harness in
            try await Self.expectAnswer(harness, Array("\u{1}\u{2}NOT HTTP AT ALL\r\n\r\n".utf8), "garbage request line", statuses: 400...400)
        }
    }

    @Test func aClientThatLeavesMidRequestIsForgotten() async throws {
        try await Harness.with { harness in
            let port = harness.sidecar.port
            let request = Self.post(Array(Harness.chat("abandoned").utf8))
            try await offPool {
                let connection = try RawHTTPConnection(port: port)
                try connection.send(Array(request.prefix(request.count / 2)))
            }
            try await Self.expectStillServing(harness, after: "a client left mid-body")
            #expect(harness.mock.requestCount(path: "/v1/chat/completions") == 1)
        }
    }
}

/// How far the slow client got; written by its thread, read by the test.
final class SlowSendProgress: @unchecked Sendable {
    // @unchecked Sendable: a single Int written by one thread and polled by another; a stale read only delays the loop.
    private let lock = NSLock()
    private var value = 0
    var sent: Int {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
