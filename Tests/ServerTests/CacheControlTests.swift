import Foundation
import Testing

/// Request `Cache-Control` directives and TTLs.
@Suite struct CacheControlTests {
    @Test func noCacheSkipsTheLookupButStores() async throws {
        try await Harness.with { harness in
            let body = Harness.chat("no-cache question")
            _ = try await harness.post("/v1/chat/completions", json: body)
            let forced = try await harness.post("/v1/chat/completions", json: body, headers: [("cache-control", "no-cache")])
            #expect(forced.header("x-semcache") == "miss")
            #expect(forced.header("cache-status")?.contains("fwd=request") == true)
            #expect(harness.mock.requestCount(path: "/v1/chat/completions") == 2)
            #expect(try await harness.post("/v1/chat/completions", json: body).header("x-semcache") == "hit-exact")
        }
    }

    @Test func noStoreDoesNotStore() async throws {
        try await Harness.with { harness in
            let body = Harness.chat("no-store question")
            let first = try await harness.post("/v1/chat/completions", json: body, headers: [("cache-control", "no-store")])
            #expect(first.header("x-semcache") == "miss")
            #expect(first.header("cache-status")?.contains("detail=no-store") == true)
            #expect(try await harness.post("/v1/chat/completions", json: body).header("x-semcache") == "miss")
        }
    }

    @Test func maxAgeRefusesOlderEntries() async throws {
        try await Harness.with { harness in
            let body = Harness.chat("max-age question")
            _ = try await harness.post("/v1/chat/completions", json: body)
            try await Task.sleep(for: .milliseconds(1100))
            let strict = try await harness.post("/v1/chat/completions", json: body, headers: [("cache-control", "max-age=1")])
            #expect(strict.header("x-semcache") == "miss")
            #expect(strict.header("cache-status")?.contains("fwd=stale") == true)
            let lenient = try await harness.post("/v1/chat/completions", json: body, headers: [("cache-control", "max-age=3600")])
            #expect(lenient.header("x-semcache") == "hit-exact")
        }
    }

    @Test func entriesExpireAfterTheirTTL() async throws {
        let body = Harness.chat("short-lived question")
        try await Harness.with { harness in
            // No assertion depends on how fast the machine is: hits are checked on an entry with a
            // long TTL, expiry only after sleeping past a short one.
            let kept = Harness.chat("thirty-second question")
            _ = try await harness.post("/v1/chat/completions", json: kept, headers: [("x-semcache-ttl", "30")])
            let hit = try await harness.post("/v1/chat/completions", json: kept)
            #expect(hit.header("x-semcache") == "hit-exact")
            let ttl = hit.header("cache-status")?.split(separator: ";").first { $0.contains("ttl=") }
                .flatMap { Int($0.split(separator: "=")[1]) }
            #expect(ttl.map { (1...30).contains($0) } == true)
            _ = try await harness.post("/v1/chat/completions", json: body, headers: [("x-semcache-ttl", "1")])
            try await Task.sleep(for: .milliseconds(1200))
            #expect(try await harness.post("/v1/chat/completions", json: body).header("x-semcache") == "miss")
        }

        try await Harness.with(configure: { $0.defaultTTL = .seconds(1) }) { configured in
            _ = try await configured.post("/v1/chat/completions", json: body)
            try await Task.sleep(for: .milliseconds(1200))
            #expect(try await configured.post("/v1/chat/completions", json: body).header("x-semcache") == "miss")
        }
    }

    @Test func modeOffBypasses() async throws {
        try await Harness.with { harness in
            let body = Harness.chat("mode off")
            _ = try await harness.post("/v1/chat/completions", json: body)
            let off = try await harness.post("/v1/chat/completions", json: body, headers: [("x-semcache-mode", "off")])
            #expect(off.header("x-semcache") == "bypass")
            #expect(off.header("cache-status") == "semcache; fwd=bypass; detail=mode-off")
        }
    }
}
