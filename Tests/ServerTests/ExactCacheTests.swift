import Foundation
import SemanticCache
import Testing

/// The exact cache end to end: a real client, the sidecar and the mock upstream on loopback.
@Suite struct ExactCacheTests {
    @Test func secondIdenticalRequestIsAnExactHitThatNeverReachesTheUpstream() async throws {
        try await Harness.with { harness in
            let body = Harness.chat("What is the capital of France?")
            let first = try await harness.post("/v1/chat/completions", json: body)
            #expect(first.status == 200)
            #expect(first.header("x-semcache") == "miss")
            #expect(first.header("cache-status")?.hasPrefix("semcache; fwd=uri-miss") == true)
            let second = try await harness.post("/v1/chat/completions", json: body)
            #expect(second.header("x-semcache") == "hit-exact")
            #expect(second.header("cache-status")?.contains("hit") == true)
            #expect(second.header("age") != nil)
            #expect(second.header("x-semcache-key") == first.header("x-semcache-key"))
            #expect(second.json == first.json)
            #expect(harness.mock.requestCount(path: "/v1/chat/completions") == 1)
        }
    }

    @Test func keyOrderAndWhitespaceDoNotChangeTheKey() async throws {
        try await Harness.with { harness in
            let compact = #"{"model":"gpt-4o-mini","temperature":0,"messages":[{"role":"user","content":"Name three primes"}]}"#
            let spaced = """
                {
                  "messages" : [ { "content" : "Name three primes", "role" : "user" } ],
                  "temperature" : 0.0,   "model" : "gpt-4o-mini", "stream": false, "user": "alice"
                }
                """
            _ = try await harness.post("/v1/chat/completions", json: compact)
            let reordered = try await harness.post("/v1/chat/completions", json: spaced)
            #expect(reordered.header("x-semcache") == "hit-exact")
            #expect(harness.mock.requestCount(path: "/v1/chat/completions") == 1)
        }
    }

    @Test func nondeterministicRequestsBypassUnlessConfigured() async throws {
        let body = Harness.chat("Write a poem", temperature: "0.7")
        try await Harness.with { harness in
            let first = try await harness.post("/v1/chat/completions", json: body)
            let second = try await harness.post("/v1/chat/completions", json: body)
            #expect(first.header("x-semcache") == "bypass" && second.header("x-semcache") == "bypass")
            #expect(first.header("cache-status") == "semcache; fwd=bypass; detail=nondeterministic")
            #expect(harness.mock.requestCount(path: "/v1/chat/completions") == 2)
        }

        try await Harness.with(configure: { $0.cacheNondeterministic = true }) { opted in
            _ = try await opted.post("/v1/chat/completions", json: body)
            #expect(try await opted.post("/v1/chat/completions", json: body).header("x-semcache") == "hit-exact")
        }
    }

    @Test func embeddingsAreCachedAndCompletionsAndMessagesToo() async throws {
        try await Harness.with { harness in
            let requests = [
                ("/v1/embeddings", #"{"model":"text-embedding-3-small","input":["hello world"]}"#),
                ("/v1/completions", #"{"model":"gpt-3.5-turbo-instruct","prompt":"Say hi","temperature":0}"#),
                ("/v1/messages", #"{"model":"claude-3-5-haiku-latest","max_tokens":64,"temperature":0,"messages":[{"role":"user","content":"Hi"}]}"#),
            ]
            for (path, body) in requests {
                let first = try await harness.post(path, json: body)
                #expect(first.status == 200, "\(path)")
                #expect(first.header("x-semcache") == "miss", "\(path)")
                let second = try await harness.post(path, json: body)
                #expect(second.header("x-semcache") == "hit-exact", "\(path)")
                #expect(second.body == first.body, "\(path)")
                #expect(harness.mock.requestCount(path: path) == 1, "\(path)")
            }
        }
    }

    @Test func credentialsAndNamespacesPartitionTheCache() async throws {
        let body = Harness.chat("Partitioned question")
        try await Harness.with { harness in
            _ = try await harness.post("/v1/chat/completions", json: body)
            let otherKey = try await harness.post("/v1/chat/completions", json: body, headers: [("authorization", "Bearer sk-other")])
            #expect(otherKey.header("x-semcache") == "miss")
            let otherNamespace = try await harness.post("/v1/chat/completions", json: body, headers: [("x-semcache-namespace", "team-b")])
            #expect(otherNamespace.header("x-semcache") == "miss")
        }

        try await Harness.with(configure: { $0.sharedCache = true }) { shared in
            _ = try await shared.post("/v1/chat/completions", json: body)
            let sharedHit = try await shared.post("/v1/chat/completions", json: body, headers: [("authorization", "Bearer sk-other")])
            #expect(sharedHit.header("x-semcache") == "hit-exact")
        }
    }

    @Test func invalidSemcacheHeaderIsA400ThatNamesIt() async throws {
        try await Harness.with { harness in
            let response = try await harness.post("/v1/chat/completions", json: Harness.chat("x"), headers: [("x-semcache-ttl", "soon")])
            #expect(response.status == 400)
            #expect(response.text.contains("X-Semcache-TTL"))
            #expect(harness.mock.requestCount(path: "/v1/chat/completions") == 0)
        }
    }

    @Test func malformedBodiesAreForwardedUntouched() async throws {
        try await Harness.with { harness in
            let response = try await harness.post("/v1/chat/completions", json: "{not json")
            #expect(response.header("x-semcache") == "bypass")
            #expect(response.header("cache-status") == "semcache; fwd=bypass; detail=unparseable")
            #expect(harness.mock.requestCount(path: "/v1/chat/completions") == 1)
        }
    }
}
