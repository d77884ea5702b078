import Foundation
import SemanticCache
import Testing

/// Listing, purging and exporting entries through the admin API; a purge acts on the running
/// sidecar at once, vectors included.
@Suite struct EntriesPurgeTests {
    static func fill(_ harness: Harness) async throws {
        _ = try await harness.post("/v1/chat/completions", json: KnownTraffic.france)
        try await harness.settle(requests: 1, entries: 1)
        _ = try await harness.post("/v1/chat/completions", json: KnownTraffic.france)
        _ = try await harness.post("/v1/chat/completions", json: KnownTraffic.colors)
        _ = try await harness.post("/v1/chat/completions", json: Harness.chat("What is 2 + 2?"), headers: [("x-semcache-namespace", "team-a")])
        try await harness.settle(requests: 4, entries: 3)
    }

    static func entries(_ harness: Harness, _ query: String = "") async throws -> [JSONValue] {
        try #require(try await harness.request("GET", "/_semcache/entries?" + query).json?["entries"]?.array)
    }

    static func purge(_ harness: Harness, _ body: String) async throws -> Harness.Response {
        try await harness.request("POST", "/_semcache/purge", headers: [("content-type", "application/json")], body: Array(body.utf8))
    }

    @Test func entriesAreListedWithFilters() async throws {
        try await Harness.with { harness in
            try await Self.fill(harness)
            let all = try await Self.entries(harness)
            #expect(all.count == 3)
            #expect(all.allSatisfy { ($0["size_bytes"]?.int ?? 0) > 0 && $0["age_seconds"]?.int != nil })
            #expect(try await Self.entries(harness, "model=gpt-4o").map { $0["prompt"]?.string } == ["Name three primary colors"])
            #expect(try await Self.entries(harness, "namespace=team-a").map { $0["prompt"]?.string } == ["What is 2 + 2?"])
            #expect(try await Self.entries(harness, "limit=1").count == 1)
            let byHits = try await Self.entries(harness, "order=hits")
            #expect(byHits.first?["hits"]?.int == 1)
            #expect(byHits.first?["prompt"]?.string == "What is the capital of France?")
            #expect(try await Self.entries(harness, "older_than=1h").isEmpty)
            #expect(try await harness.request("GET", "/_semcache/entries?older_than=soon").status == 400)
        }
    }

    @Test func aPurgeByModelOrNamespaceActsOnLaterRequestsAtOnce() async throws {
        try await Harness.with { harness in
            try await Self.fill(harness)
            let byModel = try await Self.purge(harness, #"{"model":"gpt-4o"}"#)
            #expect(byModel.status == 200)
            #expect(byModel.json?["deleted"]?.int == 1)
            #expect(try await harness.post("/v1/chat/completions", json: KnownTraffic.colors).header("x-semcache") == "miss")
            #expect(try await harness.post("/v1/chat/completions", json: KnownTraffic.france).header("x-semcache") == "hit-exact")
            try await harness.settle(requests: 6, entries: 3)

            let byNamespace = try await Self.purge(harness, #"{"namespace":"team-a"}"#)
            #expect(byNamespace.json?["deleted"]?.int == 1)
            let again = try await harness.post("/v1/chat/completions", json: Harness.chat("What is 2 + 2?"), headers: [("x-semcache-namespace", "team-a")])
            #expect(again.header("x-semcache") == "miss")
            try await harness.settle(requests: 7, entries: 3)

            let everything = try await Self.purge(harness, #"{"all":true}"#)
            #expect(everything.json?["deleted"]?.int == 3)
            #expect(harness.sidecar.pipeline.indexedEntries == 0)
            #expect(try await harness.post("/v1/chat/completions", json: KnownTraffic.france).header("x-semcache") == "miss")
            let stats = try #require(try await harness.request("GET", "/_semcache/stats").json)
            #expect(stats["stored"]?["purged"]?.int == 5)
        }
    }

    @Test(arguments: [#"{}"#, #"{"all":true,"model":"gpt-4o"}"#, #"{"ids":"1"}"#, #"{"older_than":"later"}"#, "not json"])
    func aPurgeMustSayWhat(body: String) async throws {
        try await Harness.with { harness in
            try await Self.fill(harness)
            let response = try await Self.purge(harness, body)
            #expect(response.status == 400)
            #expect(try await Self.entries(harness).count == 3)
        }
    }

    @Test func aPurgeDropsVectorsSoParaphrasesMissToo() async throws {
        try await Harness.with(configure: { $0.embedder = try? SharedModel.minilm() }) { harness in
            _ = try await harness.post("/v1/chat/completions", json: Harness.chat(SemanticHitTests.question))
            try await harness.settle(requests: 1, entries: 1)
            let hit = try await harness.post("/v1/chat/completions", json: Harness.chat(SemanticHitTests.paraphrase))
            #expect(hit.header("x-semcache") == "hit-semantic")
            let purged = try await Self.purge(harness, #"{"model":"gpt-4o-mini"}"#)
            #expect(purged.json?["deleted"]?.int == 1)
            #expect(harness.sidecar.pipeline.semantic?.count == 0)
            let after = try await harness.post("/v1/chat/completions", json: Harness.chat("How could I reverse a Python list?"), headers: [("cache-control", "no-store")])
            #expect(after.header("x-semcache") == "miss")
        }
    }

    @Test func theExportHasEveryEntryAndNoCredentials() async throws {
        try await Harness.with { harness in
            try await Self.fill(harness)
            let export = try await harness.request("GET", "/_semcache/export")
            #expect(export.status == 200)
            #expect(export.header("content-type") == "application/x-ndjson")
            let lines = export.text.split(separator: "\n")
            #expect(lines.count == 3)
            let rows = try lines.map { try JSONValue.parse(String($0)) }
            #expect(Set(rows.compactMap { $0["prompt"]?.string }) == ["What is the capital of France?", "Name three primary colors", "What is 2 + 2?"])
            #expect(rows.allSatisfy { $0["response_encoding"]?.string == "utf8" && ($0["response"]?.string?.contains("Mock answer") ?? false) })
            #expect(!export.text.contains("sk-test-key"))
            #expect(!export.text.lowercased().contains("authorization"))
        }
    }
}
