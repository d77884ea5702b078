import Foundation
import SemanticCache
import Testing

/// Entries keep the usage of streams whose caller did not ask for it, and each caller gets exactly
/// the usage it asked for, on the miss and on replays.
@Suite struct StreamUsageTests {
    private static func usageChunks(_ response: Harness.Response) -> Int {
        response.text.components(separatedBy: "\n\n").filter { $0.contains(#""choices":[]"#) && $0.contains(#""usage":{"#) }.count
    }

    @Test func aStreamStoredWithoutIncludeUsageKeepsItsUsage() async throws {
        try await Harness.with { harness in
            let stream = Harness.chat("Tokens please", stream: true)
            let miss = try await harness.post("/v1/chat/completions", json: stream)
            #expect(miss.header("x-semcache") == "miss")
            #expect(Self.usageChunks(miss) == 0, "the live miss has no usage chunk: \(miss.text)")
            #expect(miss.text.hasSuffix("data: [DONE]\n\n"))

            let replay = try await harness.post("/v1/chat/completions", json: stream)
            #expect(replay.header("x-semcache") == "hit-exact")
            #expect(Self.usageChunks(replay) == 0)
            #expect(replay.body == miss.body)

            let withUsage = Harness.chat("Tokens please", stream: true, extra: #""stream_options":{"include_usage":true},"#)
            let asked = try await harness.post("/v1/chat/completions", json: withUsage)
            #expect(asked.header("x-semcache") == "hit-exact")
            #expect(Self.usageChunks(asked) == 1)

            let json = try await harness.post("/v1/chat/completions", json: Harness.chat("Tokens please"))
            #expect(json.header("x-semcache") == "hit-exact")
            let totalTokens = try #require(json.json?["usage"]?["total_tokens"]?.int)
            #expect(totalTokens > 0)

            let stats = try await harness.request("GET", "/_semcache/stats?since=all")
            #expect((stats.json?["saved"]?["completion_tokens"]?.int ?? 0) > 0, "\(stats.text)")
            #expect(harness.mock.requestCount(path: "/v1/chat/completions") == 1)
        }
    }

    @Test func coalescedFollowersGetTheUsageTheyAskedFor() async throws {
        try await Harness.with { harness in
            let question = "Coalesced usage"
            let plain = Harness.chat(question, stream: true)
            let withUsage = Harness.chat(question, stream: true, extra: #""stream_options":{"include_usage":true},"#)
            let leader = Task { try await harness.post("/v1/chat/completions", json: plain, headers: [("x-mock-stream-gate", "usage")]) }
            while harness.mock.requestCount(path: "/v1/chat/completions") == 0 { try await Task.sleep(for: .milliseconds(5)) }
            let asking = Task { try await harness.post("/v1/chat/completions", json: withUsage) }
            let notAsking = Task { try await harness.post("/v1/chat/completions", json: plain) }
            let json = Task { try await harness.post("/v1/chat/completions", json: Harness.chat(question)) }
            try await CoalescingTests.waitForFollowers(harness, 3)
            harness.mock.releaseGate("usage")

            #expect(Self.usageChunks(try await leader.value) == 0)
            let asked = try await asking.value
            #expect(asked.header("x-semcache") == "hit-coalesced")
            #expect(Self.usageChunks(asked) == 1)
            let notAsked = try await notAsking.value
            #expect(notAsked.header("x-semcache") == "hit-coalesced")
            #expect(Self.usageChunks(notAsked) == 0)
            #expect((try await json.value.json?["usage"]?["total_tokens"]?.int ?? 0) > 0)
            #expect(harness.mock.requestCount(path: "/v1/chat/completions") == 1)
        }
    }

    @Test func entriesStoredWithoutUsageKeepWorking() async throws {
        try await Harness.with { harness in
            let chunk = #"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":"Old answer."},"finish_reason":null}]}"#
            let last = #"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#
            let transcript = "data: \(chunk)\n\ndata: \(last)\n\ndata: [DONE]\n\n"
            let request = Harness.chat("Stored long ago", stream: true)
            let record = try JSONValue.object([
                (key: "endpoint", value: "/v1/chat/completions"), (key: "request", value: JSONValue.parse(Array(request.utf8))),
                (key: "response", value: .string(transcript)),
            ]).compactBytes
            let prewarm = try await harness.request(
                "POST", "/_semcache/prewarm?format=pairs", headers: [("x-semcache-partition-key", "sk-test-key")], body: record + [0x0A])
            #expect(prewarm.json?["stored"] == 1, "\(prewarm.text)")

            let stream = try await harness.post("/v1/chat/completions", json: request)
            #expect(stream.header("x-semcache") == "hit-exact")
            #expect(stream.text == transcript)
            let json = try await harness.post("/v1/chat/completions", json: Harness.chat("Stored long ago"))
            #expect(json.header("x-semcache") == "hit-exact")
            #expect(json.json?["choices"]?[0]?["message"]?["content"] == "Old answer.")
            #expect(json.json?["usage"] == nil)
        }
    }

    @Test func completionsStreamsKeepTheirUsageToo() async throws {
        try await Harness.with { harness in
            let stream = #"{"model":"gpt-3.5-turbo-instruct","prompt":"Say hi","temperature":0,"stream":true}"#
            let miss = try await harness.post("/v1/completions", json: stream)
            #expect(Self.usageChunks(miss) == 0)
            let json = try await harness.post("/v1/completions", json: #"{"model":"gpt-3.5-turbo-instruct","prompt":"Say hi","temperature":0}"#)
            #expect(json.header("x-semcache") == "hit-exact")
            #expect((json.json?["usage"]?["total_tokens"]?.int ?? 0) > 0)
        }
    }

    @Test func aBodyOverTheLimitOnMessagesIsAnAnthropicError() async throws {
        try await Harness.with(configure: { $0.maxRequestBodyBytes = 64; $0.maxRequestBytes = 64 }) { harness in
            let body = #"{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":"\#(String(repeating: "x", count: 100))"}]}"#
            let response = try await harness.post("/v1/messages", json: body)
            #expect(response.status == 413)
            #expect(response.json?["type"] == "error")
            #expect(response.json?["error"]?["type"] == "request_too_large")
        }
    }
}
