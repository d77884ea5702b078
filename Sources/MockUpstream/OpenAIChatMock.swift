import NIOHTTP1

/// `POST /v1/chat/completions` in OpenAI's wire format, JSON or SSE: `n` choices, JSON content for a
/// `response_format` that asks for it, usage in every JSON answer and, in streams, a usage chunk only
/// with `stream_options.include_usage`.
enum OpenAIChatMock {
    static func respond(to request: MockRequest) -> MockResponse {
        guard let prompt = request.messagesPrompt() else {
            return OpenAIError.invalidRequest("The request body must be a JSON object with a 'messages' array.")
        }
        let id = MockAnswer.id("chatcmpl-", prompt.idSeed)
        return prompt.stream ? stream(prompt, id: id) : complete(prompt, id: id)
    }

    /// The completion text of each choice (`n`): tool arguments, or the answer (as JSON with a `response_format`).
    private static func completionTexts(_ prompt: MockPrompt) -> [String] {
        (0..<prompt.choiceCount).map { index in
            prompt.callsTool ? MockAnswer.toolArguments(for: prompt.lastUserText) : MockAnswer.text(for: prompt, choice: index)
        }
    }

    private static func usage(_ prompt: MockPrompt, _ texts: [String]) -> JSONValue {
        OpenAIUsage.json(prompt: prompt.promptTokens, completion: texts.map(MockAnswer.tokenCount).reduce(0, +))
    }

    private static func complete(_ prompt: MockPrompt, id: String) -> MockResponse {
        let texts = completionTexts(prompt)
        let choices: [JSONValue] = texts.enumerated().map { index, text in
            let message: JSONValue = prompt.callsTool
                ? ["role": "assistant", "content": nil, "tool_calls": [toolCall(prompt, id: id, arguments: text)], "refusal": nil]
                : ["role": "assistant", "content": .string(text), "refusal": nil]
            return ["index": .int(index), "message": message, "logprobs": nil, "finish_reason": prompt.callsTool ? "tool_calls" : "stop"]
        }
        return .json([
            "id": .string(id),
            "object": "chat.completion",
            "created": .int(MockAnswer.created),
            "model": .string(prompt.model),
            "choices": .array(choices),
            "usage": usage(prompt, texts),
            "system_fingerprint": "fp_mock",
        ])
    }

    /// Each choice in turn: its opening chunk, its content (or tool arguments) in pieces, its finish
    /// chunk; then the usage chunk when `stream_options.include_usage` asked for it, and `[DONE]`.
    private static func stream(_ prompt: MockPrompt, id: String) -> MockResponse {
        func chunk(_ index: Int, _ delta: JSONValue, finishReason: JSONValue = nil) -> String {
            var members: [(String, JSONValue)] = [
                ("id", .string(id)), ("object", "chat.completion.chunk"), ("created", .int(MockAnswer.created)),
                ("model", .string(prompt.model)), ("system_fingerprint", "fp_mock"),
                ("choices", [["index": .int(index), "delta": delta, "logprobs": nil, "finish_reason": finishReason]]),
            ]
            if prompt.includeUsage { members.append(("usage", nil)) }
            return ServerSentEvent.data(.object(members))
        }
        let texts = completionTexts(prompt)
        var events: [String] = []
        for (index, text) in texts.enumerated() {
            if prompt.callsTool {
                let opening = toolCall(prompt, id: id, arguments: "", index: 0)
                events.append(chunk(index, ["role": "assistant", "content": nil, "tool_calls": [opening], "refusal": nil]))
                events += MockAnswer.fragments(of: text).map { fragment in
                    chunk(index, ["tool_calls": [["index": 0, "function": ["arguments": .string(fragment)]]]])
                }
                events.append(chunk(index, [:], finishReason: "tool_calls"))
            } else {
                events.append(chunk(index, ["role": "assistant", "content": "", "refusal": nil]))
                events += MockAnswer.pieces(of: text).map { chunk(index, ["content": .string($0)]) }
                events.append(chunk(index, [:], finishReason: "stop"))
            }
        }
        if prompt.includeUsage {
            events.append(ServerSentEvent.data([
                "id": .string(id), "object": "chat.completion.chunk", "created": .int(MockAnswer.created),
                "model": .string(prompt.model), "system_fingerprint": "fp_mock", "choices": [],
                "usage": usage(prompt, texts),
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
