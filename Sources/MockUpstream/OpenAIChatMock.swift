import NIOHTTP1

/// `POST /v1/chat/completions` in OpenAI's wire format, JSON or SSE.
enum OpenAIChatMock {
    static func respond(to request: MockRequest) -> MockResponse {
        guard let json = request.jsonObject(), let prompt = MockPrompt(messagesRequest: json) else {
            return OpenAIError.invalidRequest("The request body must be a JSON object with a 'messages' array.")
        }
        let id = MockAnswer.id("chatcmpl-", prompt.idSeed)
        return prompt.stream ? stream(prompt, id: id) : complete(prompt, id: id)
    }

    private static func complete(_ prompt: MockPrompt, id: String) -> MockResponse {
        let message: JSONValue
        let completionText: String
        if prompt.callsTool {
            completionText = MockAnswer.toolArguments(for: prompt.lastUserText)
            message = ["role": "assistant", "content": nil, "tool_calls": [toolCall(prompt, id: id, arguments: completionText)], "refusal": nil]
        } else {
            completionText = MockAnswer.text(for: prompt.lastUserText)
            message = ["role": "assistant", "content": .string(completionText), "refusal": nil]
        }
        return .json([
            "id": .string(id),
            "object": "chat.completion",
            "created": .int(MockAnswer.created),
            "model": .string(prompt.model),
            "choices": [["index": 0, "message": message, "logprobs": nil, "finish_reason": prompt.callsTool ? "tool_calls" : "stop"]],
            "usage": OpenAIUsage.json(prompt: prompt.promptTokens, completion: MockAnswer.tokenCount(completionText)),
            "system_fingerprint": "fp_mock",
        ])
    }

    private static func stream(_ prompt: MockPrompt, id: String) -> MockResponse {
        func chunk(_ delta: JSONValue, finishReason: JSONValue = nil) -> String {
            var members: [(String, JSONValue)] = [
                ("id", .string(id)), ("object", "chat.completion.chunk"), ("created", .int(MockAnswer.created)),
                ("model", .string(prompt.model)), ("system_fingerprint", "fp_mock"),
                ("choices", [["index": 0, "delta": delta, "logprobs": nil, "finish_reason": finishReason]]),
            ]
            if prompt.includeUsage { members.append(("usage", nil)) }
            return ServerSentEvent.data(.object(members))
        }
        var events: [String]
        let completionText: String
        if prompt.callsTool {
            completionText = MockAnswer.toolArguments(for: prompt.lastUserText)
            let opening = toolCall(prompt, id: id, arguments: "", index: 0)
            events = [chunk(["role": "assistant", "content": nil, "tool_calls": [opening], "refusal": nil])]
            events += MockAnswer.fragments(of: completionText).map { fragment in
                chunk(["tool_calls": [["index": 0, "function": ["arguments": .string(fragment)]]]])
            }
            events.append(chunk([:], finishReason: "tool_calls"))
        } else {
            completionText = MockAnswer.text(for: prompt.lastUserText)
            events = [chunk(["role": "assistant", "content": "", "refusal": nil])]
            events += MockAnswer.pieces(of: completionText).map { chunk(["content": .string($0)]) }
            events.append(chunk([:], finishReason: "stop"))
        }
        if prompt.includeUsage {
            events.append(ServerSentEvent.data([
                "id": .string(id), "object": "chat.completion.chunk", "created": .int(MockAnswer.created),
                "model": .string(prompt.model), "system_fingerprint": "fp_mock", "choices": [],
                "usage": OpenAIUsage.json(prompt: prompt.promptTokens, completion: MockAnswer.tokenCount(completionText)),
            ]))
        }
        events.append(ServerSentEvent.done)
        return .eventStream(events)
    }

    /// A tool call; in streams the first chunk carries `index`, id, name and empty arguments.
    private static func toolCall(_ prompt: MockPrompt, id: String, arguments: String, index: Int? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = index.map { [("index", .int($0))] } ?? []
        members += [
            ("id", .string(MockAnswer.id("call_", Array(id.utf8)))),
            ("type", "function"),
            ("function", ["name": .string(prompt.toolName ?? "tool"), "arguments": .string(arguments)]),
        ]
        return .object(members)
    }
}

/// OpenAI's `usage` object and error bodies.
enum OpenAIUsage {
    static func json(prompt: Int, completion: Int) -> JSONValue {
        ["prompt_tokens": .int(prompt), "completion_tokens": .int(completion), "total_tokens": .int(prompt + completion)]
    }
}

enum OpenAIError {
    static func invalidRequest(_ message: String) -> MockResponse {
        body(message, type: "invalid_request_error", status: .badRequest)
    }

    static func body(_ message: String, type: String, status: HTTPResponseStatus, headers: [(String, String)] = []) -> MockResponse {
        .json(["error": ["message": .string(message), "type": .string(type), "param": nil, "code": nil]], status: status, headers: headers)
    }
}
