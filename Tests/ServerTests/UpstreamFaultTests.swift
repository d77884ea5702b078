import Foundation
import SemanticCache
import Testing

/// Upstream timeouts (504 naming the phase), the transfer limit, and slow upstreams.
@Suite struct UpstreamFaultTests {
    @Test func aFirstByteTimeoutIsA504NamingThePhase() async throws {
        try await Harness.with(configure: { $0.upstreamTimeouts.firstByte = .milliseconds(300) }) { harness in
            let response = try await harness.post("/v1/chat/completions", json: Harness.chat("too slow"), headers: [("x-mock-latency-ms", "5000")])
            #expect(response.status == 504)
            #expect(response.json?["error"]?["type"]?.string == "upstream_timeout")
            let message = try #require(response.json?["error"]?["message"]?.string)
            #expect(message.contains("first-byte timeout"))
            #expect(message.contains("--first-byte-timeout"))
            #expect(response.header("x-semcache") == "miss")
        }
    }

    @Test func anIdleTimeoutMidStreamTruncatesAndStoresNothing() async throws {
        try await Harness.with(configure: { $0.upstreamTimeouts.idle = .milliseconds(300) }) { harness in
            let body = Harness.chat("pauses too long", stream: true)
            await #expect(throws: (any Error).self) {
                _ = try await harness.post("/v1/chat/completions", json: body, headers: [("x-mock-chunk-delay-ms", "5000")])
            }
            let again = try await harness.post("/v1/chat/completions", json: body)
            #expect(again.header("x-semcache") == "miss")
        }
    }

    @Test func requestsQueueBehindTheTransferLimit() async throws {
        try await Harness.with(configure: { $0.maxUpstreamTransfers = 1 }) { harness in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<6 {
                    group.addTask {
                        try await harness.post("/v1/chat/completions", json: Harness.chat("queued \(index)"), headers: [("x-mock-latency-ms", "50")]).status
                    }
                }
                for try await status in group { #expect(status == 200) }
            }
            #expect(harness.mock.requestCount(path: "/v1/chat/completions") == 6)
        }
    }

    @Test func aSlowUpstreamDoesNotHoldUpOtherRequests() async throws {
        try await Harness.with { harness in
            let slowDone = SlowSendProgress()
            // The upstream sends the head and first event, then holds the rest until the gate opens.
            let slow = Task {
                let response = try await harness.post(
                    "/v1/chat/completions", json: Harness.chat("the slow one", stream: true), headers: [("x-mock-stream-gate", "slow")])
                slowDone.sent = 1
                return response.status
            }
            while harness.mock.requestCount(path: "/v1/chat/completions") == 0 { try await Task.sleep(for: .milliseconds(5)) }
            try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<50 {
                    group.addTask { try await harness.post("/v1/chat/completions", json: Harness.chat("fast \(index % 25)")).status }
                }
                for try await status in group { #expect(status == 200) }
            }
            #expect(slowDone.sent == 0, "50 requests completed while the slow one was still in flight")
            harness.mock.releaseGate("slow")
            #expect(try await slow.value == 200)
        }
    }

    @Test(arguments: ["500", "429"])
    func errorStatusesInStreamsPassThroughAndAreNeverStored(fault: String) async throws {
        try await Harness.with { harness in
            let body = Harness.chat("Stream fault \(fault)", stream: true)
            let failed = try await harness.post("/v1/chat/completions", json: body, headers: [("x-mock-fault", fault)])
            #expect(failed.status == Int(fault))
            #expect(failed.json?["error"] != nil)
            #expect(harness.sidecar.pipeline.cacheUsage.entries == 0)
            #expect(try await harness.post("/v1/chat/completions", json: body).header("x-semcache") == "miss")
        }
    }
}
