import Embedding
import Foundation
import MockUpstream
import SemanticCache
import Testing

/// A learnt threshold through a real socket: verdicts on near misses teach a context its threshold,
/// and once the bound is met the context serves semantic hits at it again — below the shipped rule's
/// 0.83 when the verdicts show that is safe — and keeps what scores below it from being served.
@Suite struct LearntThresholdTests {
    static let stored = VerificationTests.stored

    /// Paraphrases of ``stored`` that the mock answers with its class's answer: verdicts that agree.
    static let agreeing: [String] = {
        let openers = ["How do I", "How can I", "How would I", "How should I", "What is the way to", "What's the best way to", "What's a simple way to", "How to"]
        let objects = [
            "reverse a list in Python", "reverse a Python list", "reverse a list using Python", "reverse the order of a list in Python",
            "reverse my list in Python", "reverse a list with Python", "reverse the elements of a list in Python",
            "reverse the items of a Python list", "reverse the order of items in a list in Python", "reverse a list in Python code",
        ]
        return openers.flatMap { opener in objects.map { "\(opener) \($0)?" } }.filter { $0 != stored }
    }()

    /// Other questions that a loose `--threshold 0.5` accepts as paraphrases of ``stored`` (hash
    /// embedder scores 0.69 to 0.77): their answers differ, so their verdicts disagree.
    static let otherQuestions = ["How do I reverse a string in Python?", "How do I reverse a tuple in Python?", "How do I reverse an array in Python?"]
    /// A paraphrase of the class not sent before; it scores 0.81 against its nearest stored prompt.
    static let newParaphrase = "What's the quickest way to reverse a list in Python?"
    /// Another question, scoring 0.61 against ``stored``: above the floor, below any learnt threshold here.
    static let lowScoringQuestion = "How do I reverse a list in JavaScript?"

    static func classes() throws -> MockAnswerClasses {
        try MockAnswerClasses(jsonLines: ([stored, newParaphrase] + agreeing).map { #"{"text": "\#($0)", "class": "reverse-python"}"# }.joined(separator: "\n"))
    }

    /// Waits (at most 20 s) until the stored prompt is in the index: it is written after its answer was sent.
    static func waitUntilSearchable(_ harness: Harness) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        let query = "/_semcache/search?q=" + stored.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        while try await harness.request("GET", query).json?["results"]?.array?.isEmpty != false, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Near misses compared, and how many of them were wrong.
    static func nearMisses(_ verification: JSONValue) -> [Int] {
        [verification["near_misses"]?["checked"]?.int ?? 0, verification["near_misses"]?["wrong"]?.int ?? 0]
    }

    @Test func aThresholdLearntFromAgreeingVerdictsServesHitsAboveItAndNotBelow() async throws {
        let mock = try await MockUpstreamServer.start(.init(classes: try Self.classes()))
        // A 5 % bound is met by 73 verdicts without an error; the hash embedder keeps this fast.
        try await Harness.with(mock: mock, configure: { cache in
            cache.embedder = HashEmbedder()
            cache.semanticThreshold = 0.5
            cache.verification = VerificationSettings(maxFalseHitRate: 0.05)
        }) { harness in
            #expect(try await harness.post("/v1/chat/completions", json: Harness.chat(Self.stored)).header("x-semcache") == "miss")
            try await Self.waitUntilSearchable(harness)
            // Near misses that disagree: the context leaves the shipped rule and serves no semantic hit.
            for question in Self.otherQuestions {
                #expect(try await harness.post("/v1/chat/completions", json: Harness.chat(question)).header("x-semcache") == "miss")
            }
            let learning = try await VerificationTests.waitForVerification(harness) { Self.nearMisses($0)[0] == Self.otherQuestions.count }
            #expect(Self.nearMisses(learning) == [3, 3], "\(learning)")
            #expect(learning["thresholds"]?[0]?["threshold"]?.isNull == true)

            // Paraphrases that agree: near misses until their verdicts meet the bound, semantic hits from then on.
            var outcomes: [String] = []
            for paraphrase in Self.agreeing {
                outcomes.append(try await harness.post("/v1/chat/completions", json: Harness.chat(paraphrase)).header("x-semcache") ?? "")
            }
            let misses = outcomes.prefix { $0 == "miss" }.count
            #expect(misses >= 73, "\(outcomes)")
            #expect(outcomes.dropFirst(misses).allSatisfy { $0 == "hit-semantic" }, "\(outcomes)")

            let learnt = try await VerificationTests.waitForVerification(harness) { $0["thresholds"]?[0]?["threshold"]?.double != nil }
            let row = try #require(learnt["thresholds"]?[0])
            let threshold = try #require(row["threshold"]?.double, "no threshold learnt: \(row)")
            #expect(threshold > 0.5 && threshold < HitRule.defaultThreshold, "learnt \(threshold)")
            #expect(try #require(row["false_hit_rate"]?["high"]?.double) <= 0.05)
            #expect(try #require(row["verdicts"]?.int) >= 76)
            #expect(row["wrong"]?.int == 3)
            #expect(try #require(learnt["entries"]?["tracked"]?.int) > 0)
            let cli = try StatsCommandTests.semcache(["stats", "--url", harness.baseURL, "--since", "1h"])
            #expect(cli.out.contains(String(format: "%.2f", threshold)), "\(cli.out)")
            #expect(cli.out.contains("entries with their own threshold: "), "\(cli.out)")

            // Above it (and below the shipped rule), a new paraphrase is served its class's answer.
            let storedAnswer = VerificationTests.answer(try await harness.post("/v1/chat/completions", json: Harness.chat(Self.stored)))
            let served = try await harness.post("/v1/chat/completions", json: Harness.chat(Self.newParaphrase))
            #expect(served.header("x-semcache") == "hit-semantic")
            #expect(VerificationTests.answer(served) == storedAnswer)

            // Below it, another question the floor accepts is a near miss: forwarded, then compared.
            let before = Self.nearMisses(try await VerificationTests.verification(harness))
            #expect(try await harness.post("/v1/chat/completions", json: Harness.chat(Self.lowScoringQuestion)).header("x-semcache") == "miss")
            let after = try await VerificationTests.waitForVerification(harness) { Self.nearMisses($0)[0] == before[0] + 1 }
            #expect(Self.nearMisses(after) == [before[0] + 1, before[1] + 1])
            #expect(try await VerificationTests.verification(harness)["thresholds"]?[0]?["threshold"]?.double == threshold)
        }
    }
}
