import Foundation
import SemanticCache
import Testing

/// A fixed mix of requests through the mock upstream, for checking every counter:
/// 12 requests — 4 exact hits, 4 misses (one of them an upstream failure), 2 bypasses
/// (nondeterministic, mode-off), 1 pass-through, 1 rejected for an invalid header.
struct KnownTraffic {
    static let france = Harness.chat("What is the capital of France?")
    static let colors = Harness.chat("Name three primary colors", model: "gpt-4o")
    static let embedding = #"{"model":"text-embedding-3-small","input":["hello world"]}"#

    /// The `usage` of the first (stored) answer of each cached request.
    var franceUsage: (prompt: Int, completion: Int)
    var colorsUsage: (prompt: Int, completion: Int)
    var embeddingTokens: Int

    static func send(through harness: Harness) async throws -> KnownTraffic {
        // Each stored answer is written before it is asked again, so the store counts every hit.
        let france = try await harness.post("/v1/chat/completions", json: Self.france)
        try await harness.settle(requests: 1, entries: 1)
        for _ in 0..<2 { _ = try await harness.post("/v1/chat/completions", json: Self.france) }
        let colors = try await harness.post("/v1/chat/completions", json: Self.colors)
        try await harness.settle(requests: 4, entries: 2)
        _ = try await harness.post("/v1/chat/completions", json: Self.colors)
        let embedding = try await harness.post("/v1/embeddings", json: Self.embedding)
        try await harness.settle(requests: 6, entries: 3)
        _ = try await harness.post("/v1/embeddings", json: Self.embedding)
        _ = try await harness.post("/v1/chat/completions", json: Harness.chat("What is the capital of France?", temperature: "0.7"))
        _ = try await harness.post("/v1/chat/completions", json: Self.france, headers: [("x-semcache-mode", "off")])
        _ = try await harness.request("GET", "/v1/models", headers: [("authorization", "Bearer sk-test-key")])
        _ = try await harness.post("/v1/chat/completions", json: Self.france, headers: [("x-semcache-mode", "sometimes")])
        _ = try await harness.post("/v1/chat/completions", json: Harness.chat("This one fails upstream"), headers: [("x-mock-fault", "drop")])
        func usage(_ response: Harness.Response, _ key: String) -> Int { response.json?["usage"]?[key]?.int ?? -1 }
        return KnownTraffic(
            franceUsage: (usage(france, "prompt_tokens"), usage(france, "completion_tokens")),
            colorsUsage: (usage(colors, "prompt_tokens"), usage(colors, "completion_tokens")),
            embeddingTokens: usage(embedding, "prompt_tokens"))
    }

    /// Prompt and completion tokens the 4 hits served.
    var savedPromptTokens: Int { 2 * franceUsage.prompt + colorsUsage.prompt + embeddingTokens }
    var savedCompletionTokens: Int { 2 * franceUsage.completion + colorsUsage.completion }

    /// What the hits would have cost at the built-in prices.
    var savedCostUSD: Double {
        func cost(_ model: String, _ prompt: Int, _ completion: Int) -> Double {
            PriceTable.builtIn.price(for: model)?.cost(promptTokens: prompt, completionTokens: completion) ?? .nan
        }
        return 2 * cost("gpt-4o-mini", franceUsage.prompt, franceUsage.completion)
            + cost("gpt-4o", colorsUsage.prompt, colorsUsage.completion)
            + cost("text-embedding-3-small", embeddingTokens, 0)
    }
}

extension Harness {
    /// Waits (at most 10 s) until `condition` holds: counters and store writes finish just after
    /// the client has its answer.
    func settle(_ what: String, _ condition: () async throws -> Bool) async throws {
        for _ in 0..<500 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("timed out waiting until \(what)")
    }

    /// Waits until the sidecar counted `requests` since it started and the store holds `entries`.
    func settle(requests: Int, entries: Int) async throws {
        try await settle("\(requests) requests and \(entries) entries") {
            sidecar.pipeline.stats.sinceStart.requestCount() == requests && sidecar.pipeline.indexedEntries == entries
        }
    }
}
