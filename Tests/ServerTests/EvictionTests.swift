import Embedding
import Foundation
import SemanticCache
import Testing

/// `--max-entries`, `--max-bytes` and expiry, enforced in the background.
@Suite struct EvictionTests {
    /// Polls `condition` for up to 30 s (bounded, generous for a loaded machine; not a timing assertion).
    static func eventually(_ condition: () -> Bool) async throws -> Bool {
        for _ in 0..<3_000 {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    static let probe = ("cache-control", "no-store")

    @Test func theLeastRecentlyHitEntriesAreEvictedVectorsIncluded() async throws {
        try await Harness.with(configure: { config in
            config.eviction = EvictionBudget(maxEntries: 3)
            config.maintenanceInterval = .milliseconds(50)
            config.embedder = HashEmbedder()
        }) { harness in
            // Unrelated questions, so none is a semantic hit for another.
            let questions = [
                "What is the capital of France?", "How do I boil an egg?", "Who wrote War and Peace?",
                "What is the speed of light in a vacuum?", "How many legs does a spider have?",
            ]
            let pipeline = harness.sidecar.pipeline
            for (index, question) in questions.prefix(3).enumerated() {
                _ = try await harness.post("/v1/chat/completions", json: Harness.chat(question))
                // Stored (off the response path) before the next request, so the hit below is recorded on a stored entry.
                #expect(try await Self.eventually { pipeline.cacheUsage.entries == index + 1 })
            }
            #expect(try await harness.post("/v1/chat/completions", json: Harness.chat(questions[0])).header("x-semcache") == "hit-exact")
            for question in questions.suffix(2) {
                _ = try await harness.post("/v1/chat/completions", json: Harness.chat(question))
            }
            #expect(try await Self.eventually { pipeline.stats.sinceStart.storedEntries == 5 })
            #expect(try await Self.eventually { pipeline.indexedEntries == 3 })
            #expect(pipeline.semantic?.count == 3)
            #expect(pipeline.cacheUsage.entries == 3)
            for (index, question) in questions.enumerated() {
                let response = try await harness.post("/v1/chat/completions", json: Harness.chat(question), headers: [Self.probe, ("x-semcache-mode", "exact")])
                let expected = index == 1 || index == 2 ? "miss" : "hit-exact"
                #expect(response.header("x-semcache") == expected, "question \(index + 1)")
            }
            #expect(pipeline.stats.sinceStart.evictedEntries == 2)
        }
    }

    @Test func theByteBudgetKeepsTheNewestEntries() async throws {
        let entryBytes = try await Harness.with { measuring in
            _ = try await measuring.post("/v1/chat/completions", json: Harness.chat("Byte budget question 0"))
            #expect(try await Self.eventually { measuring.sidecar.pipeline.cacheUsage.entries == 1 })
            return measuring.sidecar.pipeline.cacheUsage.bytes
        }
        #expect(entryBytes > 0)

        let budget = entryBytes * 5 / 2
        try await Harness.with(configure: { config in
            config.eviction = EvictionBudget(maxBytes: budget)
            config.maintenanceInterval = .milliseconds(50)
        }) { harness in
            for index in 1...6 {
                _ = try await harness.post("/v1/chat/completions", json: Harness.chat("Byte budget question \(index)"))
            }
            let pipeline = harness.sidecar.pipeline
            #expect(try await Self.eventually { pipeline.stats.sinceStart.storedEntries == 6 })
            #expect(try await Self.eventually { pipeline.cacheUsage.bytes <= budget })
            #expect((1...2).contains(pipeline.cacheUsage.entries))
            let newest = try await harness.post("/v1/chat/completions", json: Harness.chat("Byte budget question 6"), headers: [Self.probe])
            #expect(newest.header("x-semcache") == "hit-exact")
            let oldest = try await harness.post("/v1/chat/completions", json: Harness.chat("Byte budget question 1"), headers: [Self.probe])
            #expect(oldest.header("x-semcache") == "miss")
        }
    }

    @Test func expiredEntriesAreRemovedInTheBackground() async throws {
        try await Harness.with(configure: { config in
            config.maintenanceInterval = .milliseconds(100)
            config.embedder = HashEmbedder()
        }) { harness in
            _ = try await harness.post("/v1/chat/completions", json: Harness.chat("Short-lived"), headers: [("x-semcache-ttl", "1")])
            _ = try await harness.post("/v1/chat/completions", json: Harness.chat("Long-lived"))
            let pipeline = harness.sidecar.pipeline
            // Both are stored (a count the sweep cannot lower: on a loaded machine the short-lived one may
            // already be gone by the time both are), then the short-lived one goes a second later.
            #expect(try await Self.eventually { pipeline.stats.sinceStart.storedEntries == 2 })
            #expect(try await Self.eventually { pipeline.indexedEntries == 1 })
            #expect(pipeline.semantic?.count == 1)
            #expect(pipeline.cacheUsage.entries == 1)
            let longLived = try await harness.post("/v1/chat/completions", json: Harness.chat("Long-lived"), headers: [Self.probe])
            #expect(longLived.header("x-semcache") == "hit-exact")
        }
    }
}
