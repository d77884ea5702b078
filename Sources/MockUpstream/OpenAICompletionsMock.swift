/// `POST /v1/completions` (legacy text completions) in OpenAI's wire format, JSON or SSE.
enum OpenAICompletionsMock {
    static func respond(to request: MockRequest) -> MockResponse {
        guard let json = request.jsonObject(), let prompt = MockPrompt(completionRequest: json) else {
            return OpenAIError.invalidRequest("The request body must be a JSON object with a 'prompt' string.")
        }
        let id = MockAnswer.id("cmpl-", prompt.idSeed)
        let texts = (0..<prompt.choiceCount).map { MockAnswer.text(for: prompt, choice: $0) }
        let usage = OpenAIUsage.json(prompt: prompt.promptTokens, completion: texts.map(MockAnswer.tokenCount).reduce(0, +))
        func body(choices: JSONValue, usage: JSONValue?) -> JSONValue {
            var members: [(String, JSONValue)] = [
                ("id", .string(id)), ("object", "text_completion"), ("created", .int(MockAnswer.created)),
                ("model", .string(prompt.model)), ("choices", choices),
            ]
            if let usage { members.append(("usage", usage)) }
            return .object(members)
        }
        func choice(_ index: Int, _ text: String, finishReason: JSONValue) -> JSONValue {
            ["text": .string(text), "index": .int(index), "logprobs": nil, "finish_reason": finishReason]
        }
        guard prompt.stream else {
            return .json(body(choices: .array(texts.enumerated().map { choice($0, $1, finishReason: "stop") }), usage: usage))
        }
        let streamUsage: JSONValue? = prompt.includeUsage ? .null : nil
        var events: [String] = []
        for (index, text) in texts.enumerated() {
            events += MockAnswer.pieces(of: text).map { ServerSentEvent.data(body(choices: [choice(index, $0, finishReason: nil)], usage: streamUsage)) }
            events.append(ServerSentEvent.data(body(choices: [choice(index, "", finishReason: "stop")], usage: streamUsage)))
        }
        if prompt.includeUsage { events.append(ServerSentEvent.data(body(choices: [], usage: usage))) }
        events.append(ServerSentEvent.done)
        return .eventStream(events)
    }
}
