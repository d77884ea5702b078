import Embedding
import Foundation
import SemanticCache
import Synchronization
import Testing

/// A paraphrase asked again after its semantic hit is answered without embedding and searching
/// again, as long as nothing the hit depended on changed; with the real MiniLM model.
@Suite struct RepeatedParaphraseTests {
    static let question = SemanticHitTests.question
    static let paraphrase = SemanticHitTests.paraphrase

    /// MiniLM, counting the texts it is asked to embed.
    final class CountingEmbedder: Embedder {
        let base: any Embedder
        private let texts = Atomic<Int>(0)

        init(_ base: any Embedder) { self.base = base }

        var id: String { base.id }
        var dimension: Int { base.dimension }
        var embeddedTexts: Int { texts.load(ordering: .relaxed) }

        func embed(_ texts: [String]) async throws -> [[Float]] {
            self.texts.add(texts.count, ordering: .relaxed)
            return try await base.embed(texts)
        }
    }

    /// Runs `body` with a sidecar over a counting MiniLM, which holds the answer to ``question``
    /// and has answered ``paraphrase`` once by a semantic hit (returned).
    static func withParaphraseHit(
        _ body: (Harness, CountingEmbedder, Harness.Response) async throws -> Void
    ) async throws {
        let embedder = CountingEmbedder(try SharedModel.minilm())
        try await Harness.with(configure: { $0.embedder = embedder }) { harness in
            #expect(try await harness.post("/v1/chat/completions", json: Harness.chat(question)).header("x-semcache") == "miss")
            try await harness.settle(requests: 1, entries: 1)
            let hit = try await harness.post("/v1/chat/completions", json: Harness.chat(paraphrase))
            #expect(hit.header("x-semcache") == "hit-semantic")
            #expect(embedder.embeddedTexts == 2)
            try await body(harness, embedder, hit)
        }
    }

    @Test func theSameParaphraseAgainIsASemanticHitWithoutAnEmbedding() async throws {
        try await Self.withParaphraseHit { harness, embedder, first in
            for _ in 0..<3 {
                let again = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.paraphrase))
                #expect(again.header("x-semcache") == "hit-semantic")
                #expect(again.header("cache-status")?.contains("detail=semantic") == true)
                #expect(again.header("x-semcache-similarity") == first.header("x-semcache-similarity"))
                #expect(again.header("x-semcache-entry") == first.header("x-semcache-entry"))
                #expect(again.json == first.json)
            }
            #expect(embedder.embeddedTexts == 2, "no embedding after the first semantic hit")
            #expect(harness.mock.requestCount(path: "/v1/chat/completions") == 1)

            // Counted as semantic hits, the same in every view.
            try await harness.settle(requests: 5, entries: 1)
            let stats = try #require(try await harness.request("GET", "/_semcache/stats?since=1h").json)
            #expect(stats["requests"]?["hit_semantic"]?.int == 4)
            #expect(stats["since_start"]?["hits_semantic"]?.int == 4)
            let metrics = try StatsTests.parseExposition(try await harness.request("GET", "/metrics").text)
            #expect(metrics[#"semcache_requests_total{endpoint="/v1/chat/completions",model="gpt-4o-mini",result="hit_semantic"}"#] == 4)
            #expect(try await harness.request("GET", "/_semcache/entries").json?["entries"]?[0]?["hits"]?.int == 4)
        }
    }

    @Test func theRepeatIsAnsweredWithoutLeavingTheEventLoop() async throws {
        try await Self.withParaphraseHit { harness, _, first in
            func prepared(_ text: String) -> Preparation {
                harness.sidecar.pipeline.prepare(IncomingRequest(
                    method: "POST", uri: "/v1/chat/completions",
                    headers: [(name: "content-type", value: "application/json"), (name: "authorization", value: "Bearer sk-test-key")],
                    body: Array(Harness.chat(text).utf8)))
            }
            guard case .respond(let response) = prepared(Self.paraphrase) else {
                Issue.record("the repeated paraphrase needed the async path")
                return
            }
            #expect(response.headers.first { $0.name == "x-semcache" }?.value == "hit-semantic")
            #expect(response.headers.first { $0.name == "x-semcache-similarity" }?.value == first.header("x-semcache-similarity"))
            guard case .process = prepared("How might one reverse a list in Python?") else {
                Issue.record("a paraphrase never answered before was answered without a lookup")
                return
            }
        }
    }

    @Test func aPurgeOfTheEntryEndsIt() async throws {
        try await Self.withParaphraseHit { harness, embedder, hit in
            let id = try #require(hit.header("x-semcache-entry"))
            #expect(try await harness.request("DELETE", "/_semcache/entries/\(id)").status == 200)
            let after = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.paraphrase))
            #expect(after.header("x-semcache") == "miss")
            #expect(embedder.embeddedTexts == 3, "a full lookup again")
        }
    }

    @Test func anotherThresholdOrModeLooksUpAfresh() async throws {
        try await Self.withParaphraseHit { harness, embedder, _ in
            let probe = ("cache-control", "no-store")  // a miss must not store the paraphrase itself
            let lenient = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.paraphrase), headers: [("x-semcache-threshold", "0.5"), probe])
            #expect(lenient.header("x-semcache") == "hit-semantic")
            #expect(embedder.embeddedTexts == 3)
            let strict = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.paraphrase), headers: [("x-semcache-threshold", "0.9999"), probe])
            #expect(strict.header("x-semcache") == "miss")
            #expect(embedder.embeddedTexts == 4)
            let exactOnly = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.paraphrase), headers: [("x-semcache-mode", "exact"), probe])
            #expect(exactOnly.header("x-semcache") == "miss")
            #expect(embedder.embeddedTexts == 4, "exact mode embeds nothing")
            // Requests under the default rule still find what the first hit remembered.
            #expect(try await harness.post("/v1/chat/completions", json: Harness.chat(Self.paraphrase)).header("x-semcache") == "hit-semantic")
            #expect(embedder.embeddedTexts == 4)
        }
    }

    @Test func aMaxAgeTheEntryIsTooOldForIsNotServed() async throws {
        try await Self.withParaphraseHit { harness, embedder, _ in
            try await Task.sleep(for: .milliseconds(1100))
            let strict = try await harness.post(
                "/v1/chat/completions", json: Harness.chat(Self.paraphrase), headers: [("cache-control", "max-age=1, no-store")])
            #expect(strict.header("x-semcache") == "miss")
            #expect(embedder.embeddedTexts == 3, "the full lookup found the entry too old as well")
            let relaxed = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.paraphrase), headers: [("cache-control", "max-age=60")])
            #expect(relaxed.header("x-semcache") == "hit-semantic")
            #expect(embedder.embeddedTexts == 3)
        }
    }

    @Test func itExpiresWithItsEntry() async throws {
        let embedder = CountingEmbedder(try SharedModel.minilm())
        try await Harness.with(configure: { $0.embedder = embedder }) { harness in
            _ = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.question), headers: [("x-semcache-ttl", "5")])
            try await harness.settle(requests: 1, entries: 1)
            // 5 s, not 1: beside the other suites the store write and the hit's embedding took over a second.
            #expect(try await harness.post("/v1/chat/completions", json: Harness.chat(Self.paraphrase)).header("x-semcache") == "hit-semantic")
            try await Task.sleep(for: .milliseconds(5100))
            let expired = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.paraphrase))
            #expect(expired.header("x-semcache") == "miss")
            #expect(embedder.embeddedTexts == 3)
        }
    }
}
