import Foundation
import SemanticCache
import Testing
import Upstream

/// Streams pass through as they arrive, are stored only when they end normally, and answer
/// later requests in the other mode (chat completions).
@Suite struct StreamingTests {
    @Test func firstEventReachesTheClientWhileTheUpstreamHoldsTheRest() async throws {
        try await Harness.with { harness in
            let request = UpstreamRequest(
                method: "POST", url: harness.baseURL + "/v1/chat/completions",
                headers: [(name: "content-type", value: "application/json"), (name: "x-mock-stream-gate", value: "g1")],
                body: Array(Harness.chat("Stream me a story", stream: true).utf8))
            var received: [UInt8] = []
            var released = false
            for try await event in harness.client.send(request) {
                guard case .body(let bytes) = event else { continue }
                received += bytes
                if !released, String(decoding: received, as: UTF8.self).contains("data: {") {
                    // The client holds the first event; the upstream has not sent the rest yet.
                    #expect(!String(decoding: received, as: UTF8.self).contains("[DONE]"))
                    harness.mock.releaseGate("g1")
                    released = true
                }
            }
            #expect(released)
            #expect(String(decoding: received, as: UTF8.self).hasSuffix("data: [DONE]\n\n"))
        }
    }

    @Test func storedStreamAnswersANonStreamRequestWithAssembledJSON() async throws {
        try await Harness.with { harness in
            let streamed = try await harness.post("/v1/chat/completions", json: Harness.chat("Tell me about otters", stream: true))
            #expect(streamed.header("content-type")?.hasPrefix("text/event-stream") == true)
            let json = try await harness.post("/v1/chat/completions", json: Harness.chat("Tell me about otters", stream: false))
            #expect(json.header("x-semcache") == "hit-exact")
            #expect(json.header("content-type") == "application/json")
            let answer = try #require(json.json)
            #expect(answer["object"]?.string == "chat.completion")
            let content = try #require(answer["choices"]?[0]?["message"]?["content"]?.string)
            #expect(content.contains("otters"))
            #expect(answer["choices"]?[0]?["finish_reason"]?.string == "stop")
        }
    }

    @Test func storedJSONAnswersAStreamRequestWithSynthesisedEvents() async throws {
        try await Harness.with { harness in
            let plain = try await harness.post("/v1/chat/completions", json: Harness.chat("Tell me about badgers"))
            let expected = try #require(plain.json?["choices"]?[0]?["message"]?["content"]?.string)
            let streamed = try await harness.post(
                "/v1/chat/completions",
                json: Harness.chat("Tell me about badgers", stream: true, extra: #""stream_options":{"include_usage":true},"#))
            #expect(streamed.header("x-semcache") == "hit-exact")
            #expect(streamed.header("content-type")?.hasPrefix("text/event-stream") == true)
            var parser = SSEParser()
            let events = parser.feed(streamed.body)
            let deltas = events.compactMap { event -> String? in
                guard event.data != "[DONE]", let chunk = try? JSONValue.parse(event.data) else { return nil }
                return chunk["choices"]?[0]?["delta"]?["content"]?.string
            }
            #expect(deltas.joined() == expected)
            #expect(events.last?.data == "[DONE]")
            #expect(events.contains { (try? JSONValue.parse($0.data))?["usage"]?["total_tokens"] != nil })
        }
    }

    @Test func toolCallsSurviveTheStreamToJSONConversion() async throws {
        try await Harness.with { harness in
            let tools = #""tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],"#
            _ = try await harness.post("/v1/chat/completions", json: Harness.chat("What is the weather in Paris?", stream: true, extra: tools))
            let json = try await harness.post("/v1/chat/completions", json: Harness.chat("What is the weather in Paris?", extra: tools))
            #expect(json.header("x-semcache") == "hit-exact")
            let choice = try #require(json.json?["choices"]?[0])
            #expect(choice["finish_reason"]?.string == "tool_calls")
            let call = try #require(choice["message"]?["tool_calls"]?[0])
            #expect(call["function"]?["name"]?.string == "get_weather")
            let arguments = try #require(call["function"]?["arguments"]?.string)
            #expect((try? JSONValue.parse(arguments)) != nil)
        }
    }

    @Test func truncatedStreamsReachTheClientTruncatedAndAreNeverStored() async throws {
        try await Harness.with { harness in
            let body = Harness.chat("A stream that breaks", stream: true)
            await #expect(throws: (any Error).self) {
                _ = try await harness.post("/v1/chat/completions", json: body, headers: [("x-mock-fault", "drop-mid-stream")])
            }
            let again = try await harness.post("/v1/chat/completions", json: body)
            #expect(again.header("x-semcache") == "miss")
        }
    }

    @Test func anthropicStreamsAreStoredAndReplayed() async throws {
        try await Harness.with { harness in
            let body = #"{"model":"claude-3-5-haiku-latest","max_tokens":64,"temperature":0,"stream":true,"messages":[{"role":"user","content":"Hello there"}]}"#
            let first = try await harness.post("/v1/messages", json: body)
            let second = try await harness.post("/v1/messages", json: body)
            #expect(second.header("x-semcache") == "hit-exact")
            #expect(second.body == first.body)
            #expect(second.text.contains("message_stop"))
        }
    }
}
