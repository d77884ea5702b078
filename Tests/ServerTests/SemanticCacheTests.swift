import Embedding
import Foundation
import MockUpstream
import SemanticCache
import Testing

/// Semantic hits end to end, with the real MiniLM model.
@Suite struct SemanticHitTests {
    static let question = "How do I reverse a list in Python?"
    static let paraphrase = "How can I reverse a list in Python?"

    static func start(databasePath: String = Harness.temporaryDatabase(), embedder: (any Embedder)? = nil,
                      mock: MockUpstreamServerRef? = nil) async throws -> Harness {
        let chosen: any Embedder = try embedder ?? SharedModel.minilm()
        return try await Harness.start(databasePath: databasePath, mock: mock?.server) { $0.embedder = chosen }
    }

    /// Runs `body` with a harness like ``start(databasePath:embedder:mock:)``'s and stops it, also when
    /// `body` throws.
    static func with<Result>(databasePath: String = Harness.temporaryDatabase(), embedder: (any Embedder)? = nil,
                             mock: MockUpstreamServerRef? = nil, _ body: (Harness) async throws -> Result) async throws -> Result {
        let chosen: any Embedder = try embedder ?? SharedModel.minilm()
        return try await Harness.with(databasePath: databasePath, mock: mock?.server, configure: { $0.embedder = chosen }, body)
    }

    @Test func aParaphraseIsASemanticHit() async throws {
        try await Self.with { harness in
            let first = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.question))
            #expect(first.header("x-semcache") == "miss")
            let second = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.paraphrase))
            #expect(second.header("x-semcache") == "hit-semantic")
            #expect(second.header("cache-status")?.contains("detail=semantic") == true)
            let similarity = try #require(second.header("x-semcache-similarity").flatMap(Double.init))
            #expect(similarity > 0.9 && similarity < 1)
            #expect(second.json == first.json)
            #expect(harness.mock.requestCount(path: "/v1/chat/completions") == 1)
        }
    }

    @Test func anUnrelatedQuestionMisses() async throws {
        try await Self.with { harness in
            _ = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.question))
            let other = try await harness.post("/v1/chat/completions", json: Harness.chat("What is the boiling point of water at sea level?"))
            #expect(other.header("x-semcache") == "miss")
        }
    }

    @Test(arguments: [
        ("model", Harness.chat(paraphrase, model: "gpt-4o")),
        ("system prompt", #"{"model":"gpt-4o-mini","temperature":0,"messages":[{"role":"system","content":"You are verbose."},{"role":"user","content":"\#(paraphrase)"}]}"#),
        ("max_tokens", Harness.chat(paraphrase, extra: #""max_tokens":50,"#)),
        ("tools", Harness.chat(paraphrase, extra: #""tools":[{"type":"function","function":{"name":"run_python","parameters":{"type":"object"}}}],"#)),
        ("earlier turn", #"{"model":"gpt-4o-mini","temperature":0,"messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"I use Python 2."},{"role":"assistant","content":"Noted."},{"role":"user","content":"\#(paraphrase)"}]}"#),
    ])
    func aDifferentContextNeverHits(what: String, body: String) async throws {
        try await Self.with { harness in
            _ = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.question))
            let response = try await harness.post("/v1/chat/completions", json: body)
            #expect(response.header("x-semcache") == "miss", "a different \(what) must not hit")
        }
    }

    @Test func aDifferentTemperatureNeverHits() async throws {
        try await Harness.with(configure: { config in
            config.embedder = try? SharedModel.minilm()
            config.cacheNondeterministic = true
        }) { harness in
            _ = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.question, temperature: "0.2"))
            let response = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.paraphrase, temperature: "0.7"))
            #expect(response.header("x-semcache") == "miss")
        }
    }

    @Test func thresholdAndModeHeaders() async throws {
        try await Self.with { harness in
            _ = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.question))
            // The probes must not store the paraphrase itself (it would then hit exactly).
            let probe = ("cache-control", "no-store")
            let strict = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.paraphrase), headers: [("x-semcache-threshold", "0.9999"), probe])
            #expect(strict.header("x-semcache") == "miss")
            let exactOnly = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.paraphrase), headers: [("x-semcache-mode", "exact"), probe])
            #expect(exactOnly.header("x-semcache") == "miss")
            let semantic = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.paraphrase), headers: [("x-semcache-mode", "semantic"), probe])
            #expect(semantic.header("x-semcache") == "hit-semantic")
            let lenient = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.paraphrase), headers: [("x-semcache-threshold", "0.5"), probe])
            #expect(lenient.header("x-semcache") == "hit-semantic")
        }
    }

    @Test func aStoredStreamAnswersAParaphrasedNonStreamRequest() async throws {
        try await Self.with { harness in
            _ = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.question, stream: true))
            let response = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.paraphrase))
            #expect(response.header("x-semcache") == "hit-semantic")
            #expect(response.json?["object"]?.string == "chat.completion")
        }
    }

    @Test func entriesFromAnotherEmbedderAreIgnored() async throws {
        let path = Harness.temporaryDatabase()
        let hashed = try await Self.start(databasePath: path, embedder: HashEmbedder())
        _ = try await hashed.post("/v1/chat/completions", json: Harness.chat(Self.question))
        try await hashed.stopSidecar()
        try await Self.with(databasePath: path, mock: MockUpstreamServerRef(server: hashed.mock)) { minilm in
            #expect(minilm.sidecar.pipeline.semantic?.count == 0)
            let paraphrased = try await minilm.post("/v1/chat/completions", json: Harness.chat(Self.paraphrase))
            #expect(paraphrased.header("x-semcache") == "miss")
            let exact = try await minilm.post("/v1/chat/completions", json: Harness.chat(Self.question))
            #expect(exact.header("x-semcache") == "hit-exact")
        }
        hashed.client.shutdown()
    }

    @Test func aPurgeTakesEffectAtOnceVectorsIncluded() async throws {
        try await Self.with { harness in
            _ = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.question))
            let hit = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.paraphrase))
            let id = try #require(hit.header("x-semcache-entry"))
            let purged = try await harness.request("DELETE", "/_semcache/entries/\(id)")
            #expect(purged.status == 200)
            #expect(harness.sidecar.pipeline.semantic?.count == 0)
            let afterPurge = try await harness.post("/v1/chat/completions", json: Harness.chat("How could I reverse a Python list?"))
            #expect(afterPurge.header("x-semcache") == "miss")
            #expect(try await harness.post("/v1/chat/completions", json: Harness.chat(Self.question)).header("x-semcache") != "hit-exact")
        }
    }

    @Test func theIndexIsTheSameAfterARestart() async throws {
        let harness = try await Self.start()
        for question in [Self.question, "What is the capital of Australia?", "How do I boil an egg?"] {
            _ = try await harness.post("/v1/chat/completions", json: Harness.chat(question))
        }
        let before = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.paraphrase), headers: [("cache-control", "no-store")])
        let vectors = harness.sidecar.pipeline.semantic?.count
        try await harness.stopSidecar()
        try await Self.with(databasePath: harness.databasePath, mock: MockUpstreamServerRef(server: harness.mock)) { restarted in
            #expect(restarted.sidecar.pipeline.semantic?.count == vectors)
            let after = try await restarted.post("/v1/chat/completions", json: Harness.chat(Self.paraphrase), headers: [("cache-control", "no-store")])
            #expect(before.header("x-semcache") == "hit-semantic" && after.header("x-semcache") == "hit-semantic")
            #expect(after.header("x-semcache-similarity") == before.header("x-semcache-similarity"))
            #expect(after.header("x-semcache-entry") == before.header("x-semcache-entry"))
        }
        harness.client.shutdown()
    }

    @Test func searchListsNearestPromptsWithTheRulesVerdict() async throws {
        try await Self.with { harness in
            _ = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.question))
            _ = try await harness.post("/v1/chat/completions", json: Harness.chat("What is the capital of Australia?"))
            let response = try await harness.request("GET", "/_semcache/search?q=How+can+I+reverse+a+list+in+Python%3F&limit=2")
            let results = try #require(response.json?["results"]?.array)
            #expect(results.count == 2)
            #expect(results[0]["prompt"]?.string == Self.question)
            #expect(results[0]["accepted"]?.bool == true)
            #expect(results[1]["accepted"]?.bool == false)
        }
    }
}

/// Wraps a mock so a test can hand a running one to a restarted sidecar.
struct MockUpstreamServerRef {
    let server: MockUpstreamServer
}

/// One MiniLM instance for the whole test process (loading it takes a moment).
enum SharedModel {
    static let directory: URL = {
        if let configured = ProcessInfo.processInfo.environment["SEMCACHE_MODEL_DIR"] { return URL(fileURLWithPath: configured) }
        return SDKClient.repositoryRoot.appendingPathComponent("models/all-MiniLM-L6-v2")
    }()

    private static let loaded = Result { try MiniLMEmbedder(modelDirectory: directory) }

    static func minilm() throws -> MiniLMEmbedder { try loaded.get() }
}
