import Foundation
import SemanticCache
import Testing

/// Exact hits answered by the fast path in front of NIO's HTTP codec: the same response as through
/// the codec, in request order among pipelined requests that go the long way.
@Suite struct FastPathTests {
    static func post(_ question: String, extraHeaders: String = "") -> [UInt8] {
        BadInputTests.post(Array(Harness.chat(question).utf8), extraHeaders: extraHeaders)
    }

    /// Sends `bytes` on one new connection and reads `count` responses.
    static func exchange(_ harness: Harness, _ bytes: [UInt8], responses count: Int) async throws -> [RawHTTPConnection.Response] {
        let port = harness.sidecar.port
        return try await offPool {
            let connection = try RawHTTPConnection(port: port)
            try connection.send(bytes)
            return try (0..<count).map { _ in try connection.readResponse() }
        }
    }

    @Test func pipelinedHitsAndMissesKeepTheirOrder() async throws {
        try await Harness.with { harness in
            let stored = try await Self.exchange(harness, Self.post("held in memory"), responses: 1)[0]
            #expect(stored.header("x-semcache") == "miss")
            let questions = ["held in memory", "first miss in the pipe", "held in memory", "second miss in the pipe", "held in memory"]
            let responses = try await Self.exchange(harness, questions.flatMap { Self.post($0) }, responses: questions.count)
            #expect(responses.map { $0.header("x-semcache") } == ["hit-exact", "miss", "hit-exact", "miss", "hit-exact"])
            for (question, response) in zip(questions, responses) {
                #expect(response.status == 200)
                #expect(response.text.contains(question), "answers arrive in request order")
            }
        }
    }

    @Test func aHitIsTheSameThroughEitherPath() async throws {
        try await Harness.with { harness in
            _ = try await Self.exchange(harness, Self.post("either path"), responses: 1)
            // Stored, so both hits come from the same place (an entry still being written has no id yet).
            for _ in 0..<500 where harness.sidecar.pipeline.stats.sinceStart.storedEntries < 1 { try await Task.sleep(for: .milliseconds(10)) }
            try #require(harness.sidecar.pipeline.stats.sinceStart.storedEntries == 1)
            // Plain keep-alive HTTP/1.1: the fast path. With `Connection: close`: NIO's codec.
            let fast = try await Self.exchange(harness, Self.post("either path"), responses: 1)[0]
            let codec = try await Self.exchange(harness, Self.post("either path", extraHeaders: "Connection: close\r\n"), responses: 1)[0]
            #expect(fast.header("x-semcache") == "hit-exact")
            #expect(codec.header("x-semcache") == "hit-exact")
            #expect(codec.header("connection") == "close")
            #expect(fast.header("connection") == nil)
            let names = { (response: RawHTTPConnection.Response) in response.headers.map { $0.name.lowercased() }.filter { $0 != "connection" } }
            #expect(names(fast) == names(codec))
            for name in ["content-type", "x-semcache-key", "x-semcache-entry", "content-length"] {
                #expect(fast.header(name) == codec.header(name), "\(name)")
            }
            #expect(fast.header("cache-status")?.hasPrefix("semcache; hit; ttl=") == true)
            #expect(fast.header("age").flatMap(Int.init) != nil)
            #expect(fast.body == codec.body)
            #expect(harness.sidecar.pipeline.stats.sinceStart.requestCount(.hitExact) == 2, "the fast path counts its hits too")
        }
    }

    @Test func aHitIsAnsweredWhenTheClientClosesItsSideRightAfterTheRequest() async throws {
        try await Harness.with { harness in
            _ = try await Self.exchange(harness, Self.post("then half-closed"), responses: 1)
            let bytes = Self.post("then half-closed")
            let port = harness.sidecar.port
            let response = try await offPool {
                let connection = try RawHTTPConnection(port: port)
                try connection.send(bytes)
                connection.finishSending()
                return try connection.readResponse()
            }
            #expect(response.header("x-semcache") == "hit-exact")
            #expect(response.text.contains("then half-closed"))
        }
    }

    @Test func aHitSentByteByByteIsAnswered() async throws {
        try await Harness.with { harness in
            _ = try await Self.exchange(harness, Self.post("typed slowly"), responses: 1)
            let bytes = Self.post("typed slowly") + Self.post("typed slowly")
            let port = harness.sidecar.port
            let responses = try await offPool {
                let connection = try RawHTTPConnection(port: port)
                for byte in bytes { try connection.send([byte]) }
                return try (0..<2).map { _ in try connection.readResponse() }
            }
            #expect(responses.map { $0.header("x-semcache") } == ["hit-exact", "hit-exact"])
        }
    }
}
