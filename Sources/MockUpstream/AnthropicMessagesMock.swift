import NIOHTTP1

/// `POST /v1/messages` in Anthropic's wire format, JSON or SSE.
enum AnthropicMessagesMock {
    static func respond(to request: MockRequest) -> MockResponse {
        guard let prompt = request.messagesPrompt() else {
            return error("messages: the request body must be a JSON object with a 'messages' array.", type: "invalid_request_error", status: .badRequest)
        }
        let id = MockAnswer.id("msg_", prompt.idSeed)
        let outputText = prompt.callsTool ? MockAnswer.toolArguments(for: prompt.lastUserText) : prompt.answerText
        /// The content block, complete (non-stream) or empty as opened by `content_block_start`.
        func block(complete: Bool) -> JSONValue {
            guard prompt.callsTool else { return ["type": "text", "text": .string(complete ? outputText : "")] }
            let toolID = MockAnswer.id("toolu_", Array(id.utf8))
            let input = complete ? MockAnswer.toolInput(for: prompt.lastUserText) : [:]
            return ["type": "tool_use", "id": .string(toolID), "name": .string(prompt.toolName ?? "tool"), "input": input]
        }
        let stopReason: JSONValue = prompt.callsTool ? "tool_use" : "end_turn"
        let inputTokens = prompt.promptTokens
        let outputTokens = MockAnswer.tokenCount(outputText)
        guard prompt.stream else {
            return .json(message(id: id, prompt: prompt, content: [block(complete: true)], stopReason: stopReason, usage: ["input_tokens": .int(inputTokens), "output_tokens": .int(outputTokens)]))
        }
        let deltas: [JSONValue] = prompt.callsTool
            ? MockAnswer.fragments(of: outputText).map { ["type": "input_json_delta", "partial_json": .string($0)] }
            : MockAnswer.pieces(of: outputText).map { ["type": "text_delta", "text": .string($0)] }
        var events = [
            ServerSentEvent.event("message_start", ["type": "message_start", "message": message(id: id, prompt: prompt, content: [], stopReason: nil, usage: ["input_tokens": .int(inputTokens), "output_tokens": 1])]),
            ServerSentEvent.event("content_block_start", ["type": "content_block_start", "index": 0, "content_block": block(complete: false)]),
            ServerSentEvent.event("ping", ["type": "ping"]),
        ]
        events += deltas.map { ServerSentEvent.event("content_block_delta", ["type": "content_block_delta", "index": 0, "delta": $0]) }
        events += [
            ServerSentEvent.event("content_block_stop", ["type": "content_block_stop", "index": 0]),
            ServerSentEvent.event("message_delta", ["type": "message_delta", "delta": ["stop_reason": stopReason, "stop_sequence": nil], "usage": ["output_tokens": .int(outputTokens)]]),
            ServerSentEvent.event("message_stop", ["type": "message_stop"]),
        ]
        return .eventStream(events)
    }

    static func error(_ message: String, type: String, status: HTTPResponseStatus, headers: [(String, String)] = []) -> MockResponse {
        .json(["type": "error", "error": ["type": .string(type), "message": .string(message)]], status: status, headers: headers)
    }

    private static func message(id: String, prompt: MockPrompt, content: [JSONValue], stopReason: JSONValue, usage: JSONValue) -> JSONValue {
        [
            "id": .string(id), "type": "message", "role": "assistant", "model": .string(prompt.model),
            "content": .array(content), "stop_reason": stopReason, "stop_sequence": nil, "usage": usage,
        ]
    }
}
