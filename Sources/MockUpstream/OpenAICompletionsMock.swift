/// `POST /v1/completions` (legacy text completions) in OpenAI's wire format, JSON or SSE.
enum OpenAICompletionsMock {
    static func respond(to request: MockRequest) -> MockResponse {
        guard let json = request.jsonObject(), let prompt = MockPrompt(completionRequest: json) else {
            return OpenAIError.invalidRequest("The request body must be a JSON object with a 'prompt' string.")
        }
        let id = MockAnswer.id("cmpl-", prompt.idSeed)
        let text = MockAnswer.text(for: prompt.lastUserText)
        let usage = OpenAIUsage.json(prompt: prompt.promptTokens, completion: MockAnswer.tokenCount(text))
        func body(choices: JSONValue, usage: JSONValue?) -> JSONValue {
            var members: [(String, JSONValue)] = [
                ("id", .string(id)), ("object", "text_completion"), ("created", .int(MockAnswer.created)),
                ("model", .string(prompt.model)), ("choices", choices),
            ]
            if let usage { members.append(("usage", usage)) }
            return .object(members)
        }
        func choice(_ text: String, finishReason: JSONValue) -> JSONValue {
            [["text": .string(text), "index": 0, "logprobs": nil, "finish_reason": finishReason]]
        }
        guard prompt.stream else {
            return .json(body(choices: choice(text, finishReason: "stop"), usage: usage))
        }
        let streamUsage: JSONValue? = prompt.includeUsage ? .null : nil
        var events = MockAnswer.pieces(of: text).map { ServerSentEvent.data(body(choices: choice($0, finishReason: nil), usage: streamUsage)) }
        events.append(ServerSentEvent.data(body(choices: choice("", finishReason: "stop"), usage: streamUsage)))
        if prompt.includeUsage { events.append(ServerSentEvent.data(body(choices: [], usage: usage))) }
        events.append(ServerSentEvent.done)
        return .eventStream(events)
    }
}
