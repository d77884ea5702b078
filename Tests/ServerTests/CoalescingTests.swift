import Foundation
import SemanticCache
import Testing
import Upstream

/// Identical concurrent misses make one upstream call; the others follow it.
@Suite struct CoalescingTests {
    /// Waits until `count` requests follow an identical one in flight (bounded; not a timing assertion).
    static func waitForFollowers(_ harness: Harness, _ count: Int) async throws {
        for _ in 0..<1000 where harness.sidecar.pipeline.coalescingFollowers < count {
            try await Task.sleep(for: .milliseconds(10))
        }
        try #require(harness.sidecar.pipeline.coalescingFollowers == count)
    }

    static func streamRequest(_ harness: Harness, _ body: String, headers: [(String, String)] = []) -> UpstreamRequest {
        UpstreamRequest(
            method: "POST", url: harness.baseURL + "/v1/chat/completions",
            headers: ([("content-type", "application/json"), ("authorization", "Bearer sk-test-key")] + headers).map { (name: $0.0, value: $0.1) },
            body: Array(body.utf8))
    }

    @Test func concurrentIdenticalMissesMakeOneUpstreamCall() async throws {
        try await Harness.with { harness in
            let question = "Coalesce me, streaming"
            let leader = Task { try await harness.post("/v1/chat/completions", json: Harness.chat(question, stream: true), headers: [("x-mock-stream-gate", "c1")]) }
            while harness.mock.requestCount(path: "/v1/chat/completions") == 0 { try await Task.sleep(for: .milliseconds(5)) }
            let streamFollowers = (0..<3).map { _ in Task { try await harness.post("/v1/chat/completions", json: Harness.chat(question, stream: true)) } }
            let jsonFollowers = (0..<2).map { _ in Task { try await harness.post("/v1/chat/completions", json: Harness.chat(question)) } }
            try await Self.waitForFollowers(harness, 5)
            harness.mock.releaseGate("c1")

            let led = try await leader.value
            #expect(led.header("x-semcache") == "miss")
            for follower in streamFollowers {
                let response = try await follower.value
                #expect(response.status == 200)
                #expect(response.body == led.body)
                #expect(response.header("x-semcache") == "hit-coalesced")
                #expect(response.header("cache-status") == "semcache; fwd=uri-miss; collapsed")
            }
            for follower in jsonFollowers {
                let response = try await follower.value
                #expect(response.header("x-semcache") == "hit-coalesced")
                #expect(response.json?["object"]?.string == "chat.completion")
                #expect(response.json?["choices"]?[0]?["message"]?["content"]?.string?.contains("Coalesce") == true)
            }
            #expect(harness.mock.requestCount(path: "/v1/chat/completions") == 1)
            // Counted apart from hits in every view: 1 miss and 5 coalesced, no hit latency; they
            // went without an upstream call, so they enter the hit rate.
            try await harness.settle(requests: 6, entries: 1)
            let stats = try #require(try await harness.request("GET", "/_semcache/stats?since=1h").json)
            #expect(stats["requests"]?["coalesced"]?.int == 5)
            #expect(stats["requests"]?["miss"]?.int == 1)
            #expect(stats["requests"]?["hit_exact"]?.int == 0)
            #expect(stats["since_start"]?["coalesced"]?.int == 5)
            #expect(stats["since_start"]?["misses"]?.int == 1)
            #expect(stats["since_start"]?["hits_exact"]?.int == 0)
            #expect(stats["latency_ms"]?["hit"]?["count"]?.int == 0)
            #expect(stats["hit_rate"]?.double == 5.0 / 6.0)
            #expect(stats["saved"]?["prompt_tokens"]?.int == 0)
            #expect(try await harness.request("GET", "/_semcache/entries").json?["entries"]?[0]?["hits"]?.int == 0)
            let metrics = try StatsTests.parseExposition(try await harness.request("GET", "/metrics").text)
            let chat = #"endpoint="/v1/chat/completions",model="gpt-4o-mini""#
            #expect(metrics[#"semcache_requests_total{\#(chat),result="coalesced"}"#] == 5)
            #expect(metrics[#"semcache_requests_total{\#(chat),result="miss"}"#] == 1)
            #expect(metrics["semcache_hit_duration_seconds_count"] == 0)
        }
    }

    @Test func aStreamFollowerReceivesEventsAsTheyArrive() async throws {
        try await Harness.with { harness in
            let body = Harness.chat("Relay me live", stream: true)
            let leader = Task { try await harness.post("/v1/chat/completions", json: body, headers: [("x-mock-stream-gate", "live")]) }
            while harness.mock.requestCount(path: "/v1/chat/completions") == 0 { try await Task.sleep(for: .milliseconds(5)) }
            var received: [UInt8] = []
            var releasedAfterFirstEvent = false
            var headers: [(name: String, value: String)] = []
            for try await event in harness.client.send(Self.streamRequest(harness, body)) {
                switch event {
                case .head(_, let head): headers = head
                case .body(let bytes):
                    received += bytes
                    if !releasedAfterFirstEvent, String(decoding: received, as: UTF8.self).contains("data: {") {
                        // The follower holds the leader's first event while the upstream still holds the rest.
                        #expect(!String(decoding: received, as: UTF8.self).contains("[DONE]"))
                        releasedAfterFirstEvent = true
                        harness.mock.releaseGate("live")
                    }
                }
            }
            #expect(releasedAfterFirstEvent)
            #expect(headers.first { $0.name.lowercased() == "x-semcache" }?.value == "hit-coalesced")
            #expect(received == (try await leader.value).body)
            #expect(harness.mock.requestCount(path: "/v1/chat/completions") == 1)
        }
    }

    /// The leader's client hangs up mid-stream: the upstream transfer carries on for the follower,
    /// which gets the whole stream, and the answer is stored.
    @Test func aStreamFollowerGetsTheWholeAnswerWhenTheLeadersClientLeaves() async throws {
        try await Harness.with { harness in
            let body = Harness.chat("The leader hangs up", stream: true)
            var leader: RawHTTPConnection? = try RawHTTPConnection(port: harness.sidecar.port)
            try leader?.send(
                "POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
                    + "authorization: Bearer sk-test-key\r\nx-mock-stream-gate: gone\r\ncontent-length: \(body.utf8.count)\r\n\r\n\(body)")
            while harness.mock.requestCount(path: "/v1/chat/completions") == 0 { try await Task.sleep(for: .milliseconds(5)) }
            let follower = Task { try await harness.post("/v1/chat/completions", json: body) }
            try await Self.waitForFollowers(harness, 1)
            leader = nil  // closes the socket
            harness.mock.releaseGate("gone")

            let followed = try await follower.value
            #expect(followed.status == 200)
            #expect(followed.header("x-semcache") == "hit-coalesced")
            #expect(String(decoding: followed.body, as: UTF8.self).hasSuffix("data: [DONE]\n\n"))
            #expect(harness.mock.requestCount(path: "/v1/chat/completions") == 1)
            let again = try await harness.post("/v1/chat/completions", json: body)
            #expect(again.header("x-semcache") == "hit-exact")
            #expect(again.body == followed.body)
            #expect(leader == nil)
        }
    }

    @Test func whenTheLeaderFailsTheNextWaiterGoesUpstreamAlone() async throws {
        try await Harness.with { harness in
            let question = "The leader's stream breaks"
            let leader = Task {
                try await harness.post(
                    "/v1/chat/completions", json: Harness.chat(question, stream: true),
                    headers: [("x-mock-stream-gate", "fail"), ("x-mock-fault", "drop-mid-stream")])
            }
            while harness.mock.requestCount(path: "/v1/chat/completions") == 0 { try await Task.sleep(for: .milliseconds(5)) }
            let followers = (0..<3).map { _ in Task { try await harness.post("/v1/chat/completions", json: Harness.chat(question)) } }
            try await Self.waitForFollowers(harness, 3)
            harness.mock.releaseGate("fail")
            await #expect(throws: (any Error).self) { _ = try await leader.value }
            for follower in followers {
                let response = try await follower.value
                #expect(response.status == 200)
                #expect(response.json?["object"]?.string == "chat.completion")
            }
            // The broken call, then one waiter's own call; the other two followed that one.
            #expect(harness.mock.requestCount(path: "/v1/chat/completions") == 2)
        }
    }

    @Test func followersNeverReceiveTheLeadersErrorStatus() async throws {
        try await Harness.with { harness in
            let body = Harness.chat("The leader gets a 500")
            let leader = Task { try await harness.post("/v1/chat/completions", json: body, headers: [("x-mock-fault", "500"), ("x-mock-latency-ms", "1500")]) }
            while harness.mock.requestCount(path: "/v1/chat/completions") == 0 { try await Task.sleep(for: .milliseconds(5)) }
            let followers = (0..<2).map { _ in Task { try await harness.post("/v1/chat/completions", json: body) } }
            #expect(try await leader.value.status == 500)
            for follower in followers {
                #expect(try await follower.value.status == 200)
            }
        }
    }

    @Test(arguments: ["no-cache", "no-store"])
    func noCacheAndNoStoreRequestsNeverCoalesce(directive: String) async throws {
        try await Harness.with { harness in
            let body = Harness.chat("Do not wait for me", stream: true)
            let leader = Task { try await harness.post("/v1/chat/completions", json: body, headers: [("x-mock-stream-gate", "nc")]) }
            while harness.mock.requestCount(path: "/v1/chat/completions") == 0 { try await Task.sleep(for: .milliseconds(5)) }
            // Goes upstream itself while the leader is still held (its own stream passes the gate, which is still closed,
            // so ask for the non-stream form).
            let own = try await harness.post("/v1/chat/completions", json: Harness.chat("Do not wait for me"), headers: [("cache-control", directive)])
            #expect(own.status == 200)
            #expect(own.header("x-semcache") == "miss")
            #expect(harness.mock.requestCount(path: "/v1/chat/completions") == 2)
            harness.mock.releaseGate("nc")
            _ = try await leader.value
        }
    }
}
