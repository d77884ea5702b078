import Foundation
import Testing

/// Persistence, upstream errors, fail-open and pass-through.
@Suite struct ResilienceTests {
    @Test func entriesSurviveARestart() async throws {
        let harness = try await Harness.start()
        let body = Harness.chat("Remember me across restarts")
        _ = try await harness.post("/v1/chat/completions", json: body)
        _ = try await harness.post("/v1/embeddings", json: #"{"model":"m","input":"persist"}"#)
        try await harness.stopSidecar()
        try await Harness.with(databasePath: harness.databasePath, mock: harness.mock) { restarted throws in  // its only `try`s are in macros, so spelled out
            #expect(try await restarted.post("/v1/chat/completions", json: body).header("x-semcache") == "hit-exact")
            #expect(try await restarted.post("/v1/embeddings", json: #"{"model":"m","input":"persist"}"#).header("x-semcache") == "hit-exact")
            #expect(harness.mock.requestCount(path: "/v1/chat/completions") == 1)
        }
        harness.client.shutdown()
    }

    @Test(arguments: ["500", "429"])
    func errorStatusesPassThroughAndAreNeverStored(fault: String) async throws {
        try await Harness.with { harness in
            let body = Harness.chat("Fault \(fault)")
            let failed = try await harness.post("/v1/chat/completions", json: body, headers: [("x-mock-fault", fault)])
            #expect(failed.status == Int(fault))
            let retried = try await harness.post("/v1/chat/completions", json: body)
            #expect(retried.status == 200)
            #expect(retried.header("x-semcache") == "miss")
        }
    }

    @Test func unreachableUpstreamIsA502NamingIt() async throws {
        let harness = try await Harness.start()
        let port = harness.mock.port
        try await harness.mock.stop()
        let response = try await harness.post("/v1/chat/completions", json: Harness.chat("anyone there?"))
        #expect(response.status == 502)
        #expect(response.text.contains("127.0.0.1:\(port)"))
        #expect(response.json?["error"]?["type"]?.string == "upstream_unreachable")
        try await harness.sidecar.stop()
        harness.client.shutdown()
    }

    @Test func anUnusableDatabaseFailsOpenWhenAskedTo() async throws {
        let path = Harness.temporaryDatabase()
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: path))
        try await Harness.with(databasePath: path, configure: { $0.startWithoutStore = true }) { harness in
            let body = Harness.chat("store is broken")
            for _ in 0..<2 {
                let response = try await harness.post("/v1/chat/completions", json: body)
                #expect(response.status == 200)
                #expect(response.header("x-semcache") == "bypass")
                #expect(response.header("cache-status")?.contains("store-unavailable") == true)
            }
            #expect(harness.sidecar.pipeline.stats.sinceStart.errors(.store) >= 1)
            let health = try await harness.request("GET", "/_semcache/health")
            #expect(health.json?["status"]?.string == "degraded")
        }
    }

    @Test func aDatabaseInAnUnwritableDirectoryFailsOpenWhenAskedTo() async throws {
        try await Harness.with(databasePath: "/proc/semcache/nope.db", configure: { $0.startWithoutStore = true }) { harness in
            let response = try await harness.post("/v1/chat/completions", json: Harness.chat("no store at all"))
            #expect(response.status == 200)
        }
    }

    @Test func unrelatedPathsPassThroughByteForByte() async throws {
        try await Harness.with { harness in
            let direct = try await harness.client.fetch(.init(method: "GET", url: harness.mock.baseURL + "/v1/files/binary", headers: [], body: []))
            let proxied = try await harness.request("GET", "/v1/files/binary")
            #expect(proxied.status == direct.status)
            #expect(proxied.body == direct.body)
            #expect(proxied.header("content-type") == "application/octet-stream")
            #expect(proxied.header("x-semcache") == nil)

            let payload: [UInt8] = [0, 1, 2, 0xFF, 0xFE, 13, 10, 65]
            let echoed = try await harness.request("PUT", "/anything/path?x=1&y=%20", headers: [("x-custom", "kept")], body: payload)
            let viaMock = try await harness.client.fetch(.init(
                method: "PUT", url: harness.mock.baseURL + "/anything/path?x=1&y=%20",
                headers: [(name: "x-custom", value: "kept")], body: payload))
            #expect(echoed.status == viaMock.status)
            #expect(echoed.body == viaMock.body)
            #expect(echoed.header("x-mock-echo") == "1")
        }
    }

    @Test func bodiesOverTheCacheLimitAreForwardedUncached() async throws {
        try await Harness.with(configure: { $0.maxRequestBodyBytes = 1024 }) { harness in
            let big = Harness.chat(String(repeating: "a", count: 4096))
            for _ in 0..<2 {
                let response = try await harness.post("/v1/chat/completions", json: big)
                #expect(response.status == 200)
                #expect(response.header("x-semcache") == "bypass")
                #expect(response.header("cache-status")?.contains("detail=too-large") == true)
                #expect(response.json?["choices"]?[0]?["message"]?["content"]?.string?.contains(String(repeating: "a", count: 4096)) == true)
            }
            // Forwarded untouched both times, never stored.
            #expect(harness.mock.requestCount(path: "/v1/chat/completions") == 2)
            #expect(try await Prewarm.storedCount(harness.databasePath) == 0)
        }
    }

    @Test func bodiesOverTheHardLimitGet413() async throws {
        try await Harness.with(configure: {
            $0.maxRequestBodyBytes = 1024
            $0.maxRequestBytes = 2048
        }) { harness in
            let response = try await harness.post("/v1/chat/completions", json: Harness.chat(String(repeating: "a", count: 4096)))
            #expect(response.status == 413)
            #expect(response.json?["error"]?["type"]?.string == "request_too_large")
            #expect(response.text.contains("2048") && response.text.contains("--max-request-bytes"))
            #expect(harness.mock.requestCount(path: "/v1/chat/completions") == 0)
        }
    }
}
