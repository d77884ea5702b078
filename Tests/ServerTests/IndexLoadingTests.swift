import Foundation
import Testing

@testable import SemanticCache

/// A sidecar that loads its index in the background answers at once: cacheable requests go
/// upstream uncached (bypass `loading`) until the index is loaded, then hit as before.
@Suite struct IndexLoadingTests {
    @Test func requestsBypassTheCacheUntilTheIndexIsLoaded() async throws {
        let first = try await Harness.start()
        let body = Harness.chat("Served while the index loads")
        #expect(try await first.post("/v1/chat/completions", json: body).header("x-semcache") == "miss")
        try await first.stopSidecar()

        let (gate, open) = AsyncStream<Void>.makeStream()
        try await Harness.with(databasePath: first.databasePath, mock: first.mock, configure: { config in
            config.loadIndexInBackground = true
            config.beforeBackgroundIndexLoad = { for await _ in gate { break } }
        }) { loading in
            #expect(loading.sidecar.pipeline.isLoadingIndex)
            #expect(try await loading.request("GET", "/_semcache/health").json?["status"]?.string == "loading")
            let early = try await loading.post("/v1/chat/completions", json: body)
            #expect(early.status == 200)
            #expect(early.header("x-semcache") == "bypass")
            #expect(early.header("cache-status") == "semcache; fwd=bypass; detail=loading")
            #expect(first.mock.requestCount(path: "/v1/chat/completions") == 2)

            open.yield()
            for _ in 0..<1000 where loading.sidecar.pipeline.isLoadingIndex {  // bounded wait, not a timing assertion
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(try await loading.request("GET", "/_semcache/health").json?["status"]?.string == "ok")
            #expect(try await loading.post("/v1/chat/completions", json: body).header("x-semcache") == "hit-exact")
            #expect(first.mock.requestCount(path: "/v1/chat/completions") == 2)
            #expect(loading.sidecar.pipeline.stats.sinceStart.details(of: .bypass)["loading"] == 1)
            first.client.shutdown()
        }
    }
}
