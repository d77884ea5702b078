import Foundation
import SemanticCache
import Testing

/// A request repeated byte for byte reuses its memoized analysis (``AnalysisMemo``): these check,
/// over a real socket, that every header and byte that changes the answer still changes it once
/// the body's analysis is memoized.
@Suite struct AnalysisMemoTests {
    static let path = "/v1/chat/completions"

    /// Runs `test` with a harness whose `body` has been answered from the cache once, so its analysis
    /// is memoized, and stops the harness, also when `test` throws.
    static func memoized(_ body: String, _ test: (Harness) async throws -> Void) async throws {
        try await Harness.with { harness in
            #expect(try await harness.post(path, json: body).header("x-semcache") == "miss")
            #expect(try await harness.post(path, json: body).header("x-semcache") == "hit-exact")
            try await test(harness)
        }
    }

    @Test func repeatedBytesStayExactHitsWithTheSameAnswer() async throws {
        let body = Harness.chat("Memo: the same bytes again")
        try await Self.memoized(body) { harness in
            let first = try await harness.post(Self.path, json: body)
            for _ in 0..<3 {
                let again = try await harness.post(Self.path, json: body)
                #expect(again.header("x-semcache") == "hit-exact")
                #expect(again.header("x-semcache-key") == first.header("x-semcache-key"))
                #expect(again.body == first.body)
            }
            #expect(harness.mock.requestCount(path: Self.path) == 1)
        }
    }

    @Test func anotherCredentialOrNamespaceWithTheSameBytesMisses() async throws {
        let body = Harness.chat("Memo: partitioned bytes")
        try await Self.memoized(body) { harness in
            let otherKey = try await harness.post(Self.path, json: body, headers: [("authorization", "Bearer sk-someone-else")])
            #expect(otherKey.header("x-semcache") == "miss")
            let extraKey = try await harness.post(Self.path, json: body, headers: [("x-api-key", "sk-ant-extra")])
            #expect(extraKey.header("x-semcache") == "miss")
            let namespaced = try await harness.post(Self.path, json: body, headers: [("X-Semcache-Namespace", "team-b")])
            #expect(namespaced.header("x-semcache") == "miss")
            #expect(harness.mock.requestCount(path: Self.path) == 4)
            // The header name's case does not change the partition: still a hit.
            let upperCase = try await harness.post(Self.path, json: body, headers: [("AUTHORIZATION", "Bearer sk-test-key")])
            #expect(upperCase.header("x-semcache") == "hit-exact")
        }
    }

    @Test func directivesWithTheSameBytesAreObeyed() async throws {
        let body = Harness.chat("Memo: directives")
        try await Self.memoized(body) { harness in
            let noCache = try await harness.post(Self.path, json: body, headers: [("cache-control", "no-cache")])
            #expect(noCache.header("cache-status")?.hasPrefix("semcache; fwd=request") == true)
            let off = try await harness.post(Self.path, json: body, headers: [("X-Semcache-Mode", "off")])
            #expect(off.header("x-semcache") == "bypass")
            let invalid = try await harness.post(Self.path, json: body, headers: [("X-Semcache-TTL", "soon")])
            #expect(invalid.status == 400)
            #expect(harness.mock.requestCount(path: Self.path) == 3)
            #expect(try await harness.post(Self.path, json: body).header("x-semcache") == "hit-exact")
        }
    }

    @Test func sameBytesOnAnotherPathOrAsAStreamGetTheirOwnAnswer() async throws {
        let body = Harness.chat("Memo: paths and streams")
        try await Self.memoized(body) { harness in
            let elsewhere = try await harness.post("/v1/completions", json: body)
            #expect(elsewhere.header("x-semcache") != "hit-exact")
            let stream = Harness.chat("Memo: paths and streams", stream: true)
            let streamed = try await harness.post(Self.path, json: stream)
            #expect(streamed.header("x-semcache") == "hit-exact")
            #expect(streamed.header("content-type")?.hasPrefix("text/event-stream") == true)
        }
    }

    @Test func aPurgedEntryIsNotServedFromAMemoizedAnalysis() async throws {
        let body = Harness.chat("Memo: purged")
        try await Self.memoized(body) { harness in
            let purge = try await harness.request(
                "POST", "/_semcache/purge", headers: [("content-type", "application/json")], body: Array(#"{"all":true}"#.utf8))
            #expect(purge.status == 200)
            #expect(try await harness.post(Self.path, json: body).header("x-semcache") == "miss")
            #expect(harness.mock.requestCount(path: Self.path) == 2)
        }
    }
}
