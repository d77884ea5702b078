import Foundation
import SemanticCache
import Testing

/// Which requests are cached by default (the sampling rule and its overrides), one partition per
/// API key whatever header carries it, and errors in the shape of the API a request was made to.
@Suite struct CacheabilityTests {
    private static let anthropicBody = #"{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":"Hi there"}]}"#

    @Test func requestsThatSetNoSamplingParameterAreCached() async throws {
        try await Harness.with { harness in
            let requests = [
                ("/v1/chat/completions", #"{"model":"o4-mini","max_completion_tokens":100,"messages":[{"role":"user","content":"Reason about primes"}]}"#),
                ("/v1/messages", Self.anthropicBody),
            ]
            for (path, body) in requests {
                #expect(try await harness.post(path, json: body).header("x-semcache") == "miss", "\(path)")
                #expect(try await harness.post(path, json: body).header("x-semcache") == "hit-exact", "\(path)")
            }
            let sampled = #"{"model":"gpt-4o-mini","top_p":0.9,"messages":[{"role":"user","content":"Write a poem"}]}"#
            let bypassed = try await harness.post("/v1/chat/completions", json: sampled)
            #expect(bypassed.header("cache-status") == "semcache; fwd=bypass; detail=nondeterministic")
        }
    }

    @Test func theNondeterministicHeaderOverridesTheRule() async throws {
        try await Harness.with { harness in
            let random = Harness.chat("Write a poem", temperature: "0.7")
            let cache = [("x-semcache-nondeterministic", "cache")]
            #expect(try await harness.post("/v1/chat/completions", json: random, headers: cache).header("x-semcache") == "miss")
            #expect(try await harness.post("/v1/chat/completions", json: random, headers: cache).header("x-semcache") == "hit-exact")
            #expect(try await harness.post("/v1/chat/completions", json: random).header("x-semcache") == "bypass")

            let plain = Harness.chat("What is 2 + 2?")
            _ = try await harness.post("/v1/chat/completions", json: plain)
            let forced = try await harness.post("/v1/chat/completions", json: plain, headers: [("x-semcache-nondeterministic", "bypass")])
            #expect(forced.header("cache-status") == "semcache; fwd=bypass; detail=nondeterministic")
            #expect(harness.mock.requestCount(path: "/v1/chat/completions") == 4)
        }
    }

    @Test func bearerXAPIKeyAndAPIKeyHeadersShareOnePartition() async throws {
        try await Harness.with { harness in
            let body = Harness.chat("Which header carried my key?")
            _ = try await harness.post("/v1/chat/completions", json: body, headers: [("authorization", "Bearer sk-one")])
            for header in [("x-api-key", "sk-one"), ("api-key", "sk-one")] {
                let response = try await harness.request(
                    "POST", "/v1/chat/completions", headers: [("content-type", "application/json"), header], body: Array(body.utf8))
                #expect(response.header("x-semcache") == "hit-exact", "\(header.0)")
            }
            let other = try await harness.post("/v1/chat/completions", json: body, headers: [("authorization", "Bearer sk-two")])
            #expect(other.header("x-semcache") == "miss")
        }
    }

    @Test func errorsOnMessagesHaveAnthropicsShape() async throws {
        try await Harness.with { harness in
            let invalid = try await harness.post("/v1/messages", json: Self.anthropicBody, headers: [("x-semcache-threshold", "2")])
            #expect(invalid.status == 400)
            #expect(invalid.json?["type"] == "error")
            #expect(invalid.json?["error"]?["type"] == "invalid_semcache_header")
            #expect(invalid.json?["error"]?["message"]?.string?.contains("X-Semcache-Threshold") == true)
            let openAI = try await harness.post("/v1/chat/completions", json: Harness.chat("x"), headers: [("x-semcache-threshold", "2")])
            #expect(openAI.json?["type"] == nil)
            #expect(openAI.json?["error"]?["type"] == "invalid_semcache_header")
        }
    }

    @Test func anUnreachableUpstreamOnMessagesIsAnAnthropicError() async throws {
        let harness = try await Harness.start()
        try? await harness.mock.stop()
        let response = try? await harness.post("/v1/messages", json: Self.anthropicBody)
        try? await harness.sidecar.stop()
        harness.client.shutdown()
        let unreachable = try #require(response)
        #expect(unreachable.status == 502)
        #expect(unreachable.json?["type"] == "error")
        #expect(unreachable.json?["error"]?["type"] == "upstream_unreachable")
    }
}
