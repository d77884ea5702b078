import Foundation
import MockUpstream
import Testing
import Upstream

/// The mock's answers parsed as a client of the real APIs would parse them.
@Suite(.timeLimit(.minutes(1)))
struct MockUpstreamWireFormatTests {
    private func post(
        _ path: String, _ body: [String: Any], headers: [(name: String, value: String)] = [],
        server: MockUpstreamServer, client: UpstreamClient
    ) async throws -> (status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        try await client.fetch(UpstreamRequest(
            method: "POST", url: server.baseURL + path,
            headers: [("Content-Type", "application/json")] + headers, body: Array(try JSONSerialization.data(withJSONObject: body))
        ))
    }

    private func chat(_ question: String, _ extra: [String: Any] = [:]) -> [String: Any] {
        ["model": "gpt-4o-mini", "messages": [["role": "system", "content": "Be brief."], ["role": "user", "content": question]]]
            .merging(extra) { $1 }
    }

    private func streamedJSON(_ bytes: [UInt8]) throws -> [[String: Any]] {
        try serverSentEvents(bytes).filter { $0.data != "[DONE]" }.map { try jsonObject(Array($0.data.utf8)) }
    }

    @Test func chatCompletionIsDeterministicAndShapedLikeOpenAI() async throws {
        try await withMockUpstream { server, client in
            let first = try await post("/v1/chat/completions", chat("What is the capital of France?"), server: server, client: client)
            let again = try await post("/v1/chat/completions", chat("What is the capital of France?"), server: server, client: client)
            let other = try await post("/v1/chat/completions", chat("What is the capital of Spain?"), server: server, client: client)
            #expect(first.status == 200)
            #expect(first.body == again.body)
            #expect(first.body != other.body)
            let json = try jsonObject(first.body)
            #expect(json["object"] as? String == "chat.completion")
            #expect((json["id"] as? String)?.hasPrefix("chatcmpl-") == true)
            #expect(json["model"] as? String == "gpt-4o-mini")
            #expect(json["created"] is Int)
            let choice = try #require((json["choices"] as? [[String: Any]])?.first)
            #expect(choice["finish_reason"] as? String == "stop")
            let message = try #require(choice["message"] as? [String: Any])
            #expect(message["role"] as? String == "assistant")
            #expect((message["content"] as? String)?.hasPrefix("Mock answer to: What is the capital of France?") == true)
            let usage = try #require(json["usage"] as? [String: Int])
            #expect(usage["prompt_tokens"].map { $0 > 0 } == true)
            #expect(usage["total_tokens"] == usage["prompt_tokens"].flatMap { prompt in usage["completion_tokens"].map { prompt + $0 } })
        }
    }

    @Test func chatStreamCarriesTheSameTextAndAFinalUsageChunk() async throws {
        try await withMockUpstream { server, client in
            let question = "Name three rivers in Europe"
            let complete = try jsonObject(try await post("/v1/chat/completions", chat(question), server: server, client: client).body)
            let streamed = try await post(
                "/v1/chat/completions", chat(question, ["stream": true, "stream_options": ["include_usage": true]]), server: server, client: client
            )
            #expect(header("content-type", in: streamed.headers).first?.hasPrefix("text/event-stream") == true)
            #expect(serverSentEvents(streamed.body).last?.data == "[DONE]")
            let chunks = try streamedJSON(streamed.body)
            #expect(chunks.count > 4)
            #expect(chunks.allSatisfy { $0["object"] as? String == "chat.completion.chunk" })
            let choices = chunks.compactMap { ($0["choices"] as? [[String: Any]])?.first }
            let text = choices.compactMap { ($0["delta"] as? [String: Any])?["content"] as? String }.joined()
            let message = (complete["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any]
            #expect(text == message?["content"] as? String)
            #expect(choices.last?["finish_reason"] as? String == "stop")
            let usageChunk = try #require(chunks.last)
            #expect((usageChunk["choices"] as? [Any])?.isEmpty == true)
            #expect(usageChunk["usage"] as? [String: Int] == complete["usage"] as? [String: Int])
        }
    }

    @Test func nGivesThatManyChoicesInJSONAndStreams() async throws {
        try await withMockUpstream { server, client in
            let json = try jsonObject(try await post("/v1/chat/completions", chat("Two answers", ["n": 2]), server: server, client: client).body)
            let choices = try #require(json["choices"] as? [[String: Any]])
            #expect(choices.map { $0["index"] as? Int } == [0, 1])
            let texts = choices.compactMap { ($0["message"] as? [String: Any])?["content"] as? String }
            #expect(texts.count == 2 && texts[0] != texts[1])
            let streamed = try await post("/v1/chat/completions", chat("Two answers", ["n": 2, "stream": true]), server: server, client: client)
            let chunks = try streamedJSON(streamed.body)
            #expect(Set(chunks.flatMap { ($0["choices"] as? [[String: Any]] ?? []).compactMap { $0["index"] as? Int } }) == [0, 1])
            #expect(chunks.allSatisfy { $0["usage"] == nil }, "no usage without include_usage")
            let completions = try jsonObject(try await post(
                "/v1/completions", ["model": "gpt-3.5-turbo-instruct", "prompt": "Say hi", "n": 3], server: server, client: client).body)
            #expect((completions["choices"] as? [[String: Any]])?.count == 3)
        }
    }

    @Test func responseFormatAsksForJSONContent() async throws {
        try await withMockUpstream { server, client in
            func content(_ format: [String: Any]) async throws -> [String: Any] {
                let json = try jsonObject(try await post(
                    "/v1/chat/completions", chat("Describe Paris", ["response_format": format]), server: server, client: client).body)
                let message = (json["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any]
                return try jsonObject(Array((message?["content"] as? String ?? "").utf8))
            }
            #expect((try await content(["type": "json_object"])["answer"] as? String)?.contains("Describe Paris") == true)
            let schema: [String: Any] = ["type": "json_schema", "json_schema": ["name": "city", "schema": [
                "type": "object", "properties": ["name": ["type": "string"], "population": ["type": "integer"], "capital": ["type": "boolean"]],
            ]]]
            let city = try await content(schema)
            #expect(city["name"] is String)
            #expect(city["population"] is Int)
            #expect(city["capital"] as? Bool == true)
        }
    }

    @Test func weatherQuestionWithToolsAnswersWithAToolCall() async throws {
        try await withMockUpstream { server, client in
            let tools: [[String: Any]] = [["type": "function", "function": ["name": "get_weather", "parameters": ["type": "object"]]]]
            let body = chat("What is the weather in Berlin?", ["tools": tools])
            let complete = try jsonObject(try await post("/v1/chat/completions", body, server: server, client: client).body)
            let choice = try #require((complete["choices"] as? [[String: Any]])?.first)
            #expect(choice["finish_reason"] as? String == "tool_calls")
            let call = try #require(((choice["message"] as? [String: Any])?["tool_calls"] as? [[String: Any]])?.first)
            let function = try #require(call["function"] as? [String: String])
            #expect(function["name"] == "get_weather")
            #expect(try jsonObject(Array((function["arguments"] ?? "").utf8))["location"] as? String == "Berlin")

            var streamBody = body
            streamBody["stream"] = true
            let chunks = try streamedJSON(try await post("/v1/chat/completions", streamBody, server: server, client: client).body)
            let deltas = chunks.compactMap { (($0["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any])?["tool_calls"] as? [[String: Any]] }
            let fragments = deltas.compactMap { ($0.first?["function"] as? [String: Any])?["arguments"] as? String }
            #expect(fragments.filter { !$0.isEmpty }.count > 1)
            #expect(fragments.joined() == function["arguments"])
            #expect((chunks.last?["choices"] as? [[String: Any]])?.first?["finish_reason"] as? String == "tool_calls")
        }
    }

    @Test func anthropicStreamFollowsTheMessagesEventSequence() async throws {
        try await withMockUpstream { server, client in
            let body: [String: Any] = ["model": "claude-3-5-haiku", "max_tokens": 100, "messages": [["role": "user", "content": [["type": "text", "text": "Hello Claude"]]]]]
            let complete = try jsonObject(try await post("/v1/messages", body, server: server, client: client).body)
            #expect(complete["type"] as? String == "message")
            #expect(complete["stop_reason"] as? String == "end_turn")
            let text = ((complete["content"] as? [[String: Any]])?.first?["text"] as? String) ?? ""
            #expect(text.hasPrefix("Mock answer to: Hello Claude"))
            #expect((complete["usage"] as? [String: Int])?["output_tokens"].map { $0 > 0 } == true)

            var streamBody = body
            streamBody["stream"] = true
            let events = serverSentEvents(try await post("/v1/messages", streamBody, server: server, client: client).body)
            let names = events.compactMap(\.event)
            #expect(names.count == events.count)
            #expect(Array(names.prefix(3)) == ["message_start", "content_block_start", "ping"])
            #expect(Array(names.suffix(3)) == ["content_block_stop", "message_delta", "message_stop"])
            let payloads = try events.map { try jsonObject(Array($0.data.utf8)) }
            #expect(zip(names, payloads).allSatisfy { $0.0 == $0.1["type"] as? String })
            let streamedText = payloads.compactMap { ($0["delta"] as? [String: Any])?["text"] as? String }.joined()
            #expect(streamedText == text)
            let messageDelta = try #require(payloads.first { $0["type"] as? String == "message_delta" })
            #expect((messageDelta["delta"] as? [String: Any])?["stop_reason"] as? String == "end_turn")
            #expect((messageDelta["usage"] as? [String: Int])?["output_tokens"] == (complete["usage"] as? [String: Int])?["output_tokens"])
        }
    }

    @Test func completionsStreamEndsWithDone() async throws {
        try await withMockUpstream { server, client in
            let body: [String: Any] = ["model": "gpt-3.5-turbo-instruct", "prompt": "Say hello", "stream": true]
            let events = serverSentEvents(try await post("/v1/completions", body, server: server, client: client).body)
            #expect(events.last?.data == "[DONE]")
            let chunks = try streamedJSON(events.flatMap { Array("data: \($0.data)\n\n".utf8) })
            let text = chunks.compactMap { ($0["choices"] as? [[String: Any]])?.first?["text"] as? String }.joined()
            #expect(text.hasPrefix("Mock answer to: Say hello"))
            #expect(chunks.allSatisfy { $0["object"] as? String == "text_completion" })
        }
    }

    @Test func embeddingsAreDeterministicUnitVectorsInBothEncodings() async throws {
        try await withMockUpstream { server, client in
            let body: [String: Any] = ["model": "text-embedding-3-small", "input": ["the cat sat", "a dog ran"]]
            let json = try jsonObject(try await post("/v1/embeddings", body, server: server, client: client).body)
            let data = try #require(json["data"] as? [[String: Any]])
            #expect(data.map { $0["index"] as? Int } == [0, 1])
            let vectors = data.compactMap { ($0["embedding"] as? [Double])?.map(Float.init) }
            #expect(vectors.map(\.count) == [8, 8])
            for vector in vectors { #expect(abs(vector.reduce(0) { $0 + $1 * $1 } - 1) < 1e-4) }

            let sized = try jsonObject(try await post(
                "/v1/embeddings", ["model": "m", "input": "the cat sat", "dimensions": 16, "encoding_format": "base64"], server: server, client: client
            ).body)
            let encoded = try #require((sized["data"] as? [[String: Any]])?.first?["embedding"] as? String)
            let bytes = try #require(Data(base64Encoded: encoded))
            #expect(bytes.count == 16 * 4)
            let eight = try jsonObject(try await post(
                "/v1/embeddings", ["model": "m", "input": "the cat sat", "encoding_format": "base64"], server: server, client: client
            ).body)
            let eightBytes = try #require(Data(base64Encoded: ((eight["data"] as? [[String: Any]])?.first?["embedding"] as? String) ?? ""))
            let decoded = stride(from: 0, to: eightBytes.count, by: 4).map { offset in
                Float(bitPattern: eightBytes[offset..<offset + 4].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
            }
            #expect(decoded == vectors[0])
        }
    }

    @Test func invalidBodyGetsAnOpenAIStyleBadRequest() async throws {
        try await withMockUpstream { server, client in
            let response = try await client.fetch(UpstreamRequest(method: "POST", url: server.baseURL + "/v1/chat/completions", body: Array("not json".utf8)))
            #expect(response.status == 400)
            #expect((try jsonObject(response.body)["error"] as? [String: Any])?["type"] as? String == "invalid_request_error")
        }
    }

    @Test func statsCountRequestsAndReleaseEndpointOpensGates() async throws {
        try await withMockUpstream { server, client in
            var iterator = client.send(UpstreamRequest(
                method: "POST", url: server.baseURL + "/v1/chat/completions",
                headers: [("X-Mock-Stream-Gate", "by-endpoint")], body: try chatBody("hold on", stream: true)
            )).makeAsyncIterator()
            _ = try await iterator.next()
            let release = try await client.fetch(UpstreamRequest(method: "POST", url: server.baseURL + "/_mock/release?gate=by-endpoint"))
            #expect(release.status == 200)
            var rest: [UInt8] = []
            while let event = try await iterator.next() {
                if case .body(let chunk) = event { rest += chunk }
            }
            #expect(serverSentEvents(rest).last?.data == "[DONE]")
            let stats = try jsonObject(try await client.fetch(UpstreamRequest(url: server.baseURL + "/_mock/stats")).body)
            #expect((stats["paths"] as? [String: Int])?["/v1/chat/completions"] == 1)
            #expect(server.requestCount(path: "/v1/chat/completions") == 1)
            #expect(server.requestCount(path: "/v1/embeddings") == 0)
        }
    }
}
