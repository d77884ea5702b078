import Testing
@testable import SemanticCache

@Suite struct StreamAssemblerTests {
    private func assemble(_ stream: String, _ endpoint: CacheEndpoint) -> StreamAssemblyResult {
        StreamAssembler.assemble(endpoint: endpoint, stream: Array(stream.utf8))
    }

    private func complete(_ stream: String, _ endpoint: CacheEndpoint) throws -> JSONValue {
        let result = assemble(stream, endpoint)
        return try #require(result.response, "\(result)")
    }

    @Test func chatTextStream() throws {
        let response = try complete(StreamFixtures.openAIChatText, .chatCompletions)
        #expect(response.description == """
            {"id":"chatcmpl-123","object":"chat.completion","created":1694268190,"model":"gpt-4o-mini","choices":[{"index":0,\
            "message":{"role":"assistant","content":"Hello! How can I help?","refusal":null},"logprobs":null,"finish_reason":"stop"}],\
            "system_fingerprint":"fp_44709d6fcb"}
            """)
    }

    @Test func chatToolCallsAndUsage() throws {
        let response = try complete(StreamFixtures.openAIChatToolCallsWithUsage, .chatCompletions)
        let message = try #require(response["choices"]?[0]?["message"])
        #expect(message["content"] == .null)
        #expect(message["tool_calls"]?.array?.count == 2)
        #expect(message["tool_calls"]?[0]?.description
            == #"{"id":"call_DdmO9pD3xa9XTPNJ32zg2hcA","type":"function","function":{"name":"get_weather","arguments":"{\"location\": \"Paris, France\"}"}}"#)
        #expect(message["tool_calls"]?[1]?["function"]?["arguments"] == #"{"tz":"CET"}"#)
        #expect(response["choices"]?[0]?["finish_reason"] == "tool_calls")
        #expect(response["usage"]?["total_tokens"] == 119)
        #expect(response["service_tier"] == "default")
        #expect(response["object"] == "chat.completion")
    }

    @Test func chatMultipleChoicesRefusalsLogprobsAndExtraFields() throws {
        let chunks: [JSONValue] = [
            chatChunk(["index": 1, "delta": ["role": "assistant", "content": "B"], "logprobs": ["content": [["token": "B", "logprob": -0.5]]], "finish_reason": nil]),
            chatChunk(["index": 0, "delta": ["role": "assistant", "refusal": "I can't"], "finish_reason": nil]),
            chatChunk(["index": 0, "delta": ["refusal": " help.", "annotations": [["type": "url_citation"]]], "finish_reason": "stop"]),
            chatChunk(["index": 1, "delta": ["content": "b", "reasoning_content": "think"], "logprobs": ["content": [["token": "b", "logprob": -0.1]]], "finish_reason": "length"]),
        ]
        let response = try complete(stream(chunks), .chatCompletions)
        let choices = try #require(response["choices"]?.array)
        #expect(choices.map { $0["index"] } == [0, 1])
        #expect(choices[0]["message"]?["refusal"] == "I can't help.")
        #expect(choices[0]["message"]?["content"] == .null)
        #expect(choices[0]["message"]?["annotations"] == [["type": "url_citation"]])
        #expect(choices[1]["message"]?["content"] == "Bb")
        #expect(choices[1]["message"]?["reasoning_content"] == "think")
        #expect(choices[1]["logprobs"]?["content"]?.array?.count == 2)
        #expect(choices[1]["finish_reason"] == "length")
    }

    @Test func azureMetadataChunksAreSkipped() throws {
        let azureFirst = #"data: {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{}}]}"#
        let response = try complete(azureFirst + "\n\n" + StreamFixtures.openAIChatText, .chatCompletions)
        #expect(try response == complete(StreamFixtures.openAIChatText, .chatCompletions))
    }

    @Test func completionStream() throws {
        let response = try complete(StreamFixtures.openAICompletion, .completions)
        #expect(response.description == """
            {"id":"cmpl-7iA7iJjj8V2zOkCGvWF2hAkDWBQZe","object":"text_completion","created":1690759702,"model":"gpt-3.5-turbo-instruct",\
            "choices":[{"text":"This is a test.","index":0,"logprobs":null,"finish_reason":"length"}],"system_fingerprint":"fp_44709d6fcb"}
            """)
    }

    @Test func anthropicTextStream() throws {
        let message = try complete(StreamFixtures.anthropicText, .anthropicMessages)
        #expect(message["content"] == [["type": "text", "text": "Hello!"]])
        #expect(message["stop_reason"] == "end_turn")
        #expect(message["stop_sequence"] == .null)
        #expect(message["usage"] == ["input_tokens": 25, "output_tokens": 15])
        #expect(message["id"] == "msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY")
        #expect(message["model"] == "claude-3-5-sonnet-20241022")
    }

    @Test func anthropicToolUseInputIsParsedFromPartialJSON() throws {
        let message = try complete(StreamFixtures.anthropicToolUse, .anthropicMessages)
        let content = try #require(message["content"]?.array)
        #expect(content.count == 2)
        #expect(content[0]["text"] == "Okay, let me check the weather.")
        #expect(content[1] == [
            "type": "tool_use", "id": "toolu_01T1x1fJ34qAmk2tNTrN7Up6", "name": "get_weather",
            "input": ["location": "San Francisco, CA", "unit": "fahrenheit"],
        ])
        #expect(message["stop_reason"] == "tool_use")
        #expect(message["usage"]?["output_tokens"] == 89)
    }

    @Test func anthropicThinkingAndSignature() throws {
        let message = try complete(StreamFixtures.anthropicThinking, .anthropicMessages)
        #expect(message["content"]?[0]?["thinking"] == "Let me solve this step by step:\n\n1. First break down 27 * 453\n2. 453 = 400 + 50 + 3")
        #expect(message["content"]?[0]?["signature"] == "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds")
        #expect(message["content"]?[1]?["text"] == "27 * 453 = 12,231")
        #expect(message["usage"] == ["input_tokens": 10, "output_tokens": 100])
    }

    @Test func anyChunkingOfTheBytesGivesTheSameAnswer() throws {
        for (fixture, endpoint) in [(StreamFixtures.openAIChatToolCallsWithUsage, CacheEndpoint.chatCompletions), (StreamFixtures.anthropicToolUse, .anthropicMessages)] {
            let bytes = Array(fixture.utf8)
            let whole = try complete(fixture, endpoint)
            for chunkSize in [1, 2, 7, 64, 333] {
                var assembler = try #require(StreamAssembler(endpoint: endpoint))
                var offset = 0
                while offset < bytes.count {
                    assembler.feed(bytes[offset..<min(offset + chunkSize, bytes.count)])
                    offset += chunkSize
                }
                #expect(assembler.finish() == .complete(whole))
            }
        }
    }

    @Test(arguments: [StreamFixtures.openAIChatText, StreamFixtures.openAIChatToolCallsWithUsage])
    func truncatedChatStreamsAreNeverComplete(fixture: String) {
        let bytes = Array(fixture.utf8)
        for cut in stride(from: 0, to: bytes.count - 2, by: 5) {  // every cut before the final blank line
            let result = StreamAssembler.assemble(endpoint: .chatCompletions, stream: bytes[..<cut])
            #expect(result.response == nil, "cut at \(cut)")
        }
    }

    @Test(arguments: [StreamFixtures.anthropicText, StreamFixtures.anthropicToolUse, StreamFixtures.anthropicThinking])
    func truncatedAnthropicStreamsAreNeverComplete(fixture: String) {
        let bytes = Array(fixture.utf8)
        for cut in stride(from: 0, to: bytes.count - 2, by: 5) {
            #expect(StreamAssembler.assemble(endpoint: .anthropicMessages, stream: bytes[..<cut]).response == nil, "cut at \(cut)")
        }
    }

    @Test(arguments: [
        // [DONE] without a finish_reason
        (#"data: {"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}"# + "\n\ndata: [DONE]\n\n", "finish_reason"),
        // finish_reason but no [DONE]
        (#"data: {"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"x"},"finish_reason":"stop"}]}"# + "\n\n", "[DONE]"),
        // an error event in the middle
        (#"data: {"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}"# + "\n\n" + #"data: {"error":{"message":"overloaded","type":"server_error"}}"# + "\n\ndata: [DONE]\n\n", "error"),
        // unparsable chunk
        ("data: {not json\n\ndata: [DONE]\n\n", "not valid JSON"),
        // wrong object type
        (#"data: {"object":"text_completion","choices":[]}"# + "\n\ndata: [DONE]\n\n", "chat.completion.chunk"),
        // a delta that cannot be merged (legacy function_call object)
        (#"data: {"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"function_call":{"name":"f"}},"finish_reason":"function_call"}]}"# + "\n\ndata: [DONE]\n\n", "function_call"),
        // choice without index
        (#"data: {"object":"chat.completion.chunk","choices":[{"delta":{"content":"x"},"finish_reason":"stop"}]}"# + "\n\ndata: [DONE]\n\n", "index"),
        // tool call without index
        (#"data: {"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"tool_calls":[{"id":"c"}]},"finish_reason":"stop"}]}"# + "\n\ndata: [DONE]\n\n", "tool call"),
        // nothing but [DONE]
        ("data: [DONE]\n\n", "no choices"),
        // data after [DONE]
        (#"data: {"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"x"},"finish_reason":"stop"}]}"# + "\n\ndata: [DONE]\n\ndata: {}\n\n", "after [DONE]"),
        // a named event OpenAI never sends
        ("event: error\ndata: {\"message\":\"x\"}\n\ndata: [DONE]\n\n", "unexpected 'error' event"),
    ])
    func brokenChatStreamsAreIncomplete(stream: String, reason: String) {
        expectIncomplete(assemble(stream, .chatCompletions), because: reason)
    }

    @Test(arguments: [
        ("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n", "error"),
        (StreamFixtures.anthropicText.replacingOccurrences(of: #"{"type": "message_stop"}"#, with: #"{"type": "error", "error": {"type": "api_error"}}"#), "error"),
        (StreamFixtures.anthropicText.replacingOccurrences(of: #""stop_reason": "end_turn""#, with: #""stop_reason": null"#), "stop_reason"),
        (StreamFixtures.anthropicText.replacingOccurrences(of: #"{"type": "content_block_stop", "index": 0}"#, with: #"{"type": "ping"}"#), "never stopped"),
        (StreamFixtures.anthropicText.replacingOccurrences(of: "text_delta", with: "mystery_delta"), "mystery_delta"),
        (StreamFixtures.anthropicToolUse.replacingOccurrences(of: #"fahrenheit\"}"#, with: #"fahrenheit\""#), "tool input"),
        (StreamFixtures.anthropicText.replacingOccurrences(of: "\"index\": 0, \"delta\"", with: "\"index\": 3, \"delta\""), "not open"),
        (StreamFixtures.anthropicText + "event: ping\ndata: {\"type\": \"ping\"}\n\n", "after message_stop"),
        ("event: message_stop\ndata: {\"type\": \"message_stop\"}\n\n", "message_start"),
        ("data: {oops\n\n", "not valid JSON"),
    ])
    func brokenAnthropicStreamsAreIncomplete(stream: String, reason: String) {
        expectIncomplete(assemble(stream, .anthropicMessages), because: reason)
    }

    @Test func unknownAnthropicEventTypesAreIgnored() throws {
        let withExtra = StreamFixtures.anthropicText.replacingOccurrences(
            of: "event: ping\n", with: "event: future_event\ndata: {\"type\": \"future_event\"}\n\nevent: ping\n")
        #expect(try complete(withExtra, .anthropicMessages) == complete(StreamFixtures.anthropicText, .anthropicMessages))
    }

    @Test func oversizedEventsMakeTheStreamIncomplete() {
        var assembler = StreamAssembler(endpoint: .chatCompletions)
        assembler?.feed(Array(("data: " + String(repeating: "x", count: SSEParser.defaultMaxEventBytes + 1)).utf8))
        assembler?.feed(Array("\n\ndata: [DONE]\n\n".utf8))
        expectIncomplete(assembler?.finish(), because: "exceeded")
    }

    @Test func embeddingsDoNotStream() {
        #expect(StreamAssembler(endpoint: .embeddings) == nil)
        #expect(StreamAssembler.assemble(endpoint: .embeddings, stream: []).response == nil)
    }

    private func expectIncomplete(_ result: StreamAssemblyResult?, because reason: String) {
        guard case .incomplete(let actual)? = result else {
            Issue.record("expected incomplete, got \(String(describing: result))")
            return
        }
        #expect(actual.contains(reason), "\(actual)")
    }

    private func chatChunk(_ choice: JSONValue) -> JSONValue {
        ["id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m", "choices": [choice]]
    }

    private func stream(_ chunks: [JSONValue]) -> String {
        chunks.map { "data: \($0.description)\n\n" }.joined() + "data: [DONE]\n\n"
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
