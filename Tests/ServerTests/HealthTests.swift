import Foundation
import MockUpstream
import Testing

/// `GET /_semcache/health`: the store's and the upstream's state, and an overall status.
@Suite struct HealthTests {
    @Test func anUnreachableUpstreamMakesTheSidecarDegraded() async throws {
        let harness = try await Harness.start()
        let healthy = try #require(try await harness.request("GET", "/_semcache/health").json)
        #expect(healthy["status"]?.string == "ok")
        #expect(healthy["store"]?["status"]?.string == "ok")
        #expect(healthy["upstream"]?["status"]?.string == "reachable")
        #expect(healthy["upstream"]?["origin"]?.string == harness.mock.baseURL)
        #expect(healthy["upstream"]?["source"]?.string == "probe")

        try await harness.mock.stop()
        // A forwarded request that cannot connect is news at once, without waiting for a probe.
        #expect(try await harness.post("/v1/chat/completions", json: Harness.chat("anyone there?")).status == 502)
        let down = try #require(try await harness.request("GET", "/_semcache/health").json)
        #expect(down["status"]?.string == "degraded")
        #expect(down["upstream"]?["status"]?.string == "unreachable")
        #expect(down["upstream"]?["source"]?.string == "request")
        #expect(down["upstream"]?["detail"]?.string?.contains(harness.mock.baseURL) == true)
        // A forced probe asks the origin itself.
        let probed = try #require(try await harness.request("GET", "/_semcache/health?probe=1").json)
        #expect(probed["upstream"]?["source"]?.string == "probe")
        #expect(probed["upstream"]?["status"]?.string == "unreachable")
        #expect(probed["status"]?.string == "degraded")
        try await harness.sidecar.stop()
        harness.client.shutdown()
    }

    @Test func aForwardedAnswerCountsAsReachableEvenWithAnErrorStatus() async throws {
        try await Harness.with { harness in
            #expect(try await harness.post("/v1/chat/completions", json: Harness.chat("fault"), headers: [("x-mock-fault", "500")]).status == 500)
            let health = try #require(try await harness.request("GET", "/_semcache/health").json)
            #expect(health["upstream"]?["status"]?.string == "reachable")
            #expect(health["upstream"]?["source"]?.string == "request")
            #expect(health["upstream"]?["detail"]?.string == "HTTP 500")
            #expect(harness.mock.requestCount(path: "/") == 0)
        }
    }
}
