import Testing
@testable import SemanticCache

@Suite struct StreamSynthesizerTests {
    private static let textCompletion: JSONValue = [
        "id": "chatcmpl-abc", "object": "chat.completion", "created": 1_700_000_000, "model": "gpt-4o-mini",
        "choices": [[
            "index": 0,
            "message": ["role": "assistant", "content": "Paris is the capital of France. It has been since 508 AD, more or less — 🇫🇷 👨‍👩‍👧.", "refusal": nil, "annotations": []],
            "logprobs": nil, "finish_reason": "stop",
        ]],
        "usage": ["prompt_tokens": 12, "completion_tokens": 20, "total_tokens": 32],
        "service_tier": "default", "system_fingerprint": "fp_1",
    ]

    private static let toolCompletion: JSONValue = [
        "id": "chatcmpl-tools", "object": "chat.completion", "created": 1, "model": "gpt-4o",
        "choices": [[
            "index": 0,
            "message": [
                "role": "assistant", "content": nil, "refusal": nil,
                "tool_calls": [
                    ["id": "call_1", "type": "function", "function": ["name": "get_weather", "arguments": #"{"location":"Paris, France","unit":"celsius","days":[1,2,3]}"#]],
                    ["id": "call_2", "type": "function", "function": ["name": "noop", "arguments": "{}"]],
                ],
            ],
            "logprobs": nil, "finish_reason": "tool_calls",
        ]],
        "usage": ["prompt_tokens": 50, "completion_tokens": 30, "total_tokens": 80],
    ]

    private static let multiChoiceCompletion: JSONValue = [
        "id": "chatcmpl-n", "object": "chat.completion", "created": 2, "model": "gpt-4o",
        "choices": [
            ["index": 0, "message": ["role": "assistant", "content": "", "refusal": nil], "logprobs": nil, "finish_reason": "length"],
            ["index": 1, "message": ["role": "assistant", "content": nil, "refusal": "I can't help with that request, sorry."],
             "logprobs": ["content": nil, "refusal": [["token": "I", "logprob": -0.01, "bytes": [73], "top_logprobs": []]]], "finish_reason": "stop"],
            ["index": 2, "message": ["role": "assistant", "content": "Hi", "refusal": nil],
             "logprobs": ["content": [["token": "Hi", "logprob": -0.2, "bytes": [72, 105], "top_logprobs": []]], "refusal": nil], "finish_reason": "stop"],
        ],
        "usage": ["prompt_tokens": 5, "completion_tokens": 9, "total_tokens": 14],
    ]

    private func roundTrip(_ completion: JSONValue, includeUsage: Bool) throws -> JSONValue {
        let bytes = try #require(ChatStreamSynthesizer.synthesize(completion, includeUsage: includeUsage))
        let result = StreamAssembler.assemble(endpoint: .chatCompletions, stream: bytes)
        return try #require(result.response, "\(result)")
    }

    @Test(arguments: [textCompletion, toolCompletion, multiChoiceCompletion])
    func chatRoundTripWithUsage(completion: JSONValue) throws {
        #expect(try roundTrip(completion, includeUsage: true) == completion)
    }

    @Test(arguments: [textCompletion, toolCompletion, multiChoiceCompletion])
    func chatRoundTripWithoutUsageKeepsEverythingElse(completion: JSONValue) throws {
        #expect(try roundTrip(completion, includeUsage: false) == completion.removingMembers(["usage"]))
    }

    @Test func chatWireFormatFollowsTheRealAPI() throws {
        let bytes = try #require(ChatStreamSynthesizer.synthesize(Self.textCompletion, includeUsage: true))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasSuffix("data: [DONE]\n\n"))
        var parser = SSEParser()
        let events = parser.feed(bytes)
        let endedCleanly = parser.finish()
        #expect(endedCleanly)
        #expect(events.allSatisfy { $0.event == "message" })
        let chunks = try events.dropLast().map { try JSONValue.parse($0.data) }
        #expect(chunks.count >= 5)  // role, at least two content pieces, finish, usage
        #expect(chunks.allSatisfy { $0["object"] == "chat.completion.chunk" && $0["id"] == "chatcmpl-abc" })
        #expect(chunks[0]["choices"]?[0]?["delta"]?["role"] == "assistant")
        #expect(chunks[0]["choices"]?[0]?["delta"]?["content"] == "")
        #expect(chunks.dropLast().allSatisfy { $0["usage"] == .null })
        #expect(chunks.last?["choices"] == [])
        #expect(chunks.last?["usage"]?["total_tokens"] == 32)
        #expect(chunks[chunks.count - 2]["choices"]?[0]?["finish_reason"] == "stop")
        #expect(chunks.dropLast(2).allSatisfy { $0["choices"]?[0]?["finish_reason"] == .null })

        let withoutUsage = try #require(ChatStreamSynthesizer.synthesize(Self.textCompletion, includeUsage: false))
        var plainParser = SSEParser()
        let plain = try plainParser.feed(withoutUsage).dropLast().map { try JSONValue.parse($0.data) }
        #expect(plain.allSatisfy { $0["usage"] == nil })
    }

    @Test func toolCallsStreamIdAndNameFirstThenArguments() throws {
        let bytes = try #require(ChatStreamSynthesizer.synthesize(Self.toolCompletion, includeUsage: false))
        var parser = SSEParser()
        let deltas = try parser.feed(bytes).dropLast().compactMap { try JSONValue.parse($0.data)["choices"]?[0]?["delta"]?["tool_calls"]?[0] }
        #expect(deltas.first?["id"] == "call_1")
        #expect(deltas.first?["function"]?["name"] == "get_weather")
        #expect(deltas.first?["function"]?["arguments"] == "")
        #expect(deltas.dropFirst().first?["id"] == nil)
        #expect(deltas.filter { $0["id"] != nil }.count == 2)
    }

    @Test func splitsTextWithoutBreakingGraphemes() {
        let text = "👨‍👩‍👧" + String(repeating: "é", count: 70)
        let pieces = SSEWriter.pieces(of: text)
        #expect(pieces.joined() == text)
        #expect(pieces.count == 3)
        #expect(pieces[0].hasPrefix("👨‍👩‍👧"))
        #expect(SSEWriter.pieces(of: "").isEmpty)
    }

    @Test(arguments: [21, 22, 23] as [UInt64])
    func randomChatContentRoundTrips(seed: UInt64) throws {
        var random = RandomJSON(generator: SeededGenerator(seed: seed))
        for _ in 0..<40 {
            let content = (0..<Int.random(in: 0..<30, using: &random.generator)).map { _ in random.randomString() }.joined(separator: " ")
            let arguments = random.value().0.description
            let completion: JSONValue = [
                "id": "x", "object": "chat.completion", "created": 3, "model": "m",
                "choices": [["index": 0,
                             "message": ["role": "assistant", "content": .string(content), "refusal": nil,
                                         "tool_calls": [["id": "c", "type": "function", "function": ["name": "f", "arguments": .string(arguments)]]]],
                             "logprobs": nil, "finish_reason": "tool_calls"]],
                "usage": ["total_tokens": 1],
            ]
            #expect(try roundTrip(completion, includeUsage: true) == completion)
        }
    }

    @Test func completionRoundTrip() throws {
        let completion: JSONValue = [
            "id": "cmpl-1", "object": "text_completion", "created": 5, "model": "gpt-3.5-turbo-instruct",
            "choices": [
                ["text": "\n\nThis is indeed a test of a rather long completion that needs several pieces.", "index": 0, "logprobs": nil, "finish_reason": "length"],
                ["text": "", "index": 1, "logprobs": ["tokens": ["x"], "token_logprobs": [-1.5], "top_logprobs": nil, "text_offset": [0]], "finish_reason": "stop"],
            ],
            "usage": ["prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12],
            "system_fingerprint": "fp_9",
        ]
        let withUsage = try #require(CompletionStreamSynthesizer.synthesize(completion, includeUsage: true))
        #expect(StreamAssembler.assemble(endpoint: .completions, stream: withUsage).response == completion)
        let withoutUsage = try #require(CompletionStreamSynthesizer.synthesize(completion, includeUsage: false))
        #expect(StreamAssembler.assemble(endpoint: .completions, stream: withoutUsage).response == completion.removingMembers(["usage"]))
    }

    @Test func anthropicRoundTrip() throws {
        let message: JSONValue = [
            "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
            "content": [
                ["type": "thinking", "thinking": "The user wants the weather; I should call the tool.", "signature": "sig=="],
                ["type": "redacted_thinking", "data": "EmwKAhgBEgy3va3pzix/LafPsn4a"],
                ["type": "text", "text": "Let me check the weather in Paris for you, it will only take a moment.",
                 "citations": [["type": "char_location", "cited_text": "Paris", "document_index": 0, "start_char_index": 0, "end_char_index": 5]]],
                ["type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": ["location": "Paris", "days": [1, 2], "verbose": false]],
                ["type": "tool_use", "id": "toolu_2", "name": "ping", "input": [:]],
            ],
            "stop_reason": "tool_use", "stop_sequence": nil,
            "usage": ["input_tokens": 472, "output_tokens": 89, "cache_read_input_tokens": 0],
        ]
        let bytes = try #require(AnthropicStreamSynthesizer.synthesize(message))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("event: message_start\ndata: "))
        #expect(text.hasSuffix("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"))
        #expect(text.contains("input_json_delta"))
        let result = StreamAssembler.assemble(endpoint: .anthropicMessages, stream: bytes)
        #expect(result == .complete(message))
    }

    @Test func dispatchesByEndpoint() throws {
        for (endpoint, response) in [(CacheEndpoint.chatCompletions, Self.toolCompletion), (.completions, try JSONValue.parse(#"{"id":"c","object":"text_completion","created":1,"model":"m","choices":[{"text":"hi","index":0,"logprobs":null,"finish_reason":"stop"}]}"#))] {
            let bytes = try #require(StreamSynthesizer.synthesize(endpoint: endpoint, response: response, includeUsage: false))
            #expect(StreamAssembler.assemble(endpoint: endpoint, stream: bytes).response == response.removingMembers(["usage"]))
        }
        let message: JSONValue = ["id": "m", "type": "message", "role": "assistant", "model": "c", "content": [["type": "text", "text": "hi"]],
                                  "stop_reason": "end_turn", "stop_sequence": nil, "usage": ["input_tokens": 1, "output_tokens": 1]]
        let anthropic = try #require(StreamSynthesizer.synthesize(endpoint: .anthropicMessages, response: message, includeUsage: false))
        #expect(StreamAssembler.assemble(endpoint: .anthropicMessages, stream: anthropic).response == message)
        #expect(StreamSynthesizer.synthesize(endpoint: .embeddings, response: message, includeUsage: false) == nil)
        #expect(StreamSynthesizer.synthesize(endpoint: .chatCompletions, response: message, includeUsage: false) == nil)
    }

    @Test func rejectsAnswersOfTheWrongShape() {
        #expect(ChatStreamSynthesizer.synthesize(["object": "chat.completion", "choices": []], includeUsage: false) == nil)
        #expect(ChatStreamSynthesizer.synthesize(["choices": [["index": 0]]], includeUsage: false) == nil)
        #expect(ChatStreamSynthesizer.synthesize("text", includeUsage: false) == nil)
        #expect(CompletionStreamSynthesizer.synthesize(["choices": [["index": 0, "message": [:]]]], includeUsage: false) == nil)
        #expect(AnthropicStreamSynthesizer.synthesize(["type": "error", "error": [:]]) == nil)
        #expect(AnthropicStreamSynthesizer.synthesize(["type": "message"]) == nil)
    }
}
