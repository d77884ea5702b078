import Foundation
import MockUpstream
import SemanticCache
import Testing

/// Verified hits through a real socket: a wrong semantic hit is found and no longer served, checks
/// never hold up the hit they check and never exceed their budget, near misses teach thresholds
/// without extra calls, and the statistics show it all.
@Suite struct VerificationTests {
    static let stored = "How do I reverse a list in Python?"
    /// Accepted by the hit rule, but the mock's classes give it another answer: a wrong hit.
    static let wrongParaphrase = "What's the way to reverse a Python list?"
    /// Closer to the stored prompt than the wrong one, and of its class.
    static let rightParaphrase = "How can I reverse a list in Python?"

    static func classes() throws -> MockAnswerClasses {
        try MockAnswerClasses(jsonLines: """
            {"text": "\(stored)", "class": "reverse-python"}
            {"text": "\(rightParaphrase)", "class": "reverse-python"}
            {"text": "\(wrongParaphrase)", "class": "other"}
            """)
    }

    /// A sidecar with MiniLM and `verification` before a mock answering by ``classes()``; stopped after `body`.
    static func with(_ verification: VerificationSettings, threshold: Double? = nil, _ body: (Harness) async throws -> Void) async throws {
        let embedder = try SharedModel.minilm()
        let mock = try await MockUpstreamServer.start(.init(classes: try classes()))
        try await Harness.with(mock: mock, configure: { cache in
            cache.embedder = embedder
            cache.semanticThreshold = threshold
            cache.verification = verification
        }, body)
    }

    static func verification(_ harness: Harness) async throws -> JSONValue {
        try #require(try await StatsTests.stats(harness)["verification"])
    }

    /// Polls the statistics until `done` holds (checks run in the background), at most 20 s.
    static func waitForVerification(_ harness: Harness, until done: (JSONValue) -> Bool) async throws -> JSONValue {
        let deadline = ContinuousClock.now + .seconds(20)
        while true {
            let verification = try await verification(harness)
            if done(verification) || ContinuousClock.now > deadline { return verification }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    static func answer(_ response: Harness.Response) -> String? {
        response.json?["choices"]?[0]?["message"]?["content"]?.string
    }

    @Test func aWrongSemanticHitIsFoundAndNoLongerServedToThatPrompt() async throws {
        try await Self.with(VerificationSettings(semanticRate: 1, budgetPerMinute: 60)) { harness in
            let first = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.stored))
            #expect(first.header("x-semcache") == "miss")
            let wrong = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.wrongParaphrase))
            #expect(wrong.header("x-semcache") == "hit-semantic")
            #expect(Self.answer(wrong) == Self.answer(first))
            let entry = try #require(wrong.header("x-semcache-entry"))

            let found = try await Self.waitForVerification(harness) { $0["semantic_hits"]?["wrong"]?.int == 1 }
            #expect(found["semantic_hits"]?["checked"]?.int == 1)
            #expect(found["upstream_calls"]?.int == 1)

            // The fresh answer is now this prompt's own entry; the stored prompt's is not served to it again.
            let again = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.wrongParaphrase))
            #expect(again.header("x-semcache") == "hit-exact")
            #expect(Self.answer(again)?.contains("class other") == true)
            #expect(again.header("x-semcache-entry") != entry)

            // A closer paraphrase of the stored prompt's class is still served from it, and agrees.
            let right = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.rightParaphrase))
            #expect(right.header("x-semcache") == "hit-semantic")
            #expect(right.header("x-semcache-entry") == entry)
            #expect(Self.answer(right) == Self.answer(first))
            let agreed = try await Self.waitForVerification(harness) { $0["semantic_hits"]?["checked"]?.int == 2 }
            #expect(agreed["semantic_hits"]?["wrong"]?.int == 1)
            #expect(agreed["false_hit_rate"]?["estimate"]?.double == 0.5)
            #expect(harness.mock.requestCount(path: "/v1/chat/completions") == 3)

            let metrics = try await harness.request("GET", "/metrics").text
            #expect(metrics.contains(#"semcache_verified_total{kind="semantic_hit",outcome="wrong"} 1"#))
            #expect(metrics.contains(#"semcache_verified_total{kind="semantic_hit",outcome="agree"} 1"#))
            #expect(metrics.contains("semcache_verification_upstream_calls_total 2"))

            let cli = try StatsCommandTests.semcache(["stats", "--url", harness.baseURL, "--since", "1h"])
            #expect(cli.status == 0)
            #expect(cli.out.contains("verified   semantic hits 2 checked, 1 wrong · exact hits 0 checked, 0 stale · near misses 0 compared, 0 wrong · 2 upstream calls, 0 over budget"))
            #expect(cli.out.contains("false hits 50.0% (95%: 9.5%–90.5%) of semantic hits"))
        }
    }

    @Test func verificationNeverDelaysTheHitItChecks() async throws {
        try await Self.with(VerificationSettings(semanticRate: 1, budgetPerMinute: 60)) { harness in
            _ = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.stored))
            // The header reaches the mock with the verification call, which then answers after 4 s.
            // (No bound on the hit's own time: embedding the prompt takes seconds on a loaded machine.)
            let hit = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.rightParaphrase), headers: [("x-mock-latency-ms", "4000")])
            let answered = ContinuousClock.now
            #expect(hit.header("x-semcache") == "hit-semantic")
            #expect(try await Self.verification(harness)["semantic_hits"]?["checked"]?.int == 0)
            let checked = try await Self.waitForVerification(harness) { $0["semantic_hits"]?["checked"]?.int == 1 }
            #expect(checked["semantic_hits"]?["wrong"]?.int == 0)
            // The check's upstream answer came seconds after the hit's response: it was not on its path.
            #expect(ContinuousClock.now - answered >= .seconds(3))
        }
    }

    @Test func checksStayWithinTheBudgetAndSkipNoStoreRequests() async throws {
        try await Harness.with(configure: { $0.verification = VerificationSettings(exactRate: 1, budgetPerMinute: 2) }) { harness in
            _ = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.stored))
            let noStore = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.stored), headers: [("cache-control", "no-store")])
            #expect(noStore.header("x-semcache") == "hit-exact")
            for _ in 0..<5 {
                #expect(try await harness.post("/v1/chat/completions", json: Harness.chat(Self.stored)).header("x-semcache") == "hit-exact")
            }
            let verification = try await Self.waitForVerification(harness) { $0["exact_hits"]?["checked"]?.int == 2 }
            #expect(verification["exact_hits"]?["wrong"]?.int == 0)
            #expect(verification["upstream_calls"]?.int == 2)
            #expect(verification["over_budget"]?.int == 3)
            try await Task.sleep(for: .milliseconds(300))
            #expect(harness.mock.requestCount(path: "/v1/chat/completions") == 3)
        }
    }

    @Test func aStaleExactEntryIsReplacedByTheFreshAnswer() async throws {
        try await Harness.with(configure: { $0.verification = VerificationSettings(exactRate: 1, budgetPerMinute: 60) }) { harness in
            // An entry whose answer the upstream no longer gives.
            let request = Harness.chat(Self.stored)
            let pair = #"{"request":\#(request),"response":{"id":"old","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"An outdated answer."},"finish_reason":"stop"}]}}"#
            let prewarmed = try await harness.request(
                "POST", "/_semcache/prewarm?format=pairs", headers: [("content-type", "application/x-ndjson"), ("x-semcache-partition-key", "sk-test-key")],
                body: Array(pair.utf8))
            #expect(prewarmed.json?["stored"]?.int == 1)
            let stale = try await harness.post("/v1/chat/completions", json: request)
            #expect(stale.header("x-semcache") == "hit-exact")
            #expect(Self.answer(stale) == "An outdated answer.")

            let verification = try await Self.waitForVerification(harness) { $0["exact_hits"]?["wrong"]?.int == 1 }
            #expect(verification["exact_hits"]?["checked"]?.int == 1)
            let fresh = try await harness.post("/v1/chat/completions", json: request)
            #expect(fresh.header("x-semcache") == "hit-exact")
            #expect(Self.answer(fresh)?.hasPrefix("Mock answer to: \(Self.stored)") == true)
            #expect(fresh.header("x-semcache-entry") == stale.header("x-semcache-entry"))
        }
    }

    @Test func nearMissesTeachTheBoundWithoutExtraCalls() async throws {
        // Floor 0.5; with no verdicts yet the shipped rule (0.83) decides, so a paraphrase scoring
        // between them is a near miss: forwarded, and its answer compared with the candidate's.
        try await Self.with(VerificationSettings(maxFalseHitRate: 0.01), threshold: 0.5) { harness in
            _ = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.stored))
            let near = try await harness.post("/v1/chat/completions", json: Harness.chat("Reversing the order of items of a Python list"))
            #expect(near.header("x-semcache") == "miss")
            let verification = try await Self.waitForVerification(harness) { $0["near_misses"]?["checked"]?.int == 1 }
            #expect(verification["upstream_calls"]?.int == 0)
            #expect(harness.mock.requestCount(path: "/v1/chat/completions") == 2)
            let thresholds = try #require(verification["thresholds"]?.array)
            #expect(thresholds.count == 1)
            #expect(thresholds.first?["verdicts"]?.int == 1)
            // One verdict meets no bound of 1 %: the context serves no semantic hit until enough do.
            #expect(thresholds.first?["threshold"]?.isNull == true)
            let afterwards = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.rightParaphrase))
            #expect(afterwards.header("x-semcache") == "miss")
        }
    }
}
