import NIOHTTP1

/// OpenAI's Responses API: `POST /v1/responses` as JSON or as the typed event stream, and
/// `GET /v1/responses/{id}` for the responses it made with `store` on (so `previous_response_id` chains work).
///
/// Output items: a reasoning item first for models whose name starts with `o` or `gpt-5` (with a summary when
/// the request sets `reasoning.summary`), then a function call when `tools` are given and the question is about
/// the weather (not after a `function_call_output`), otherwise a message. `background: true` answers a queued
/// response without output. A `previous_response_id` the mock did not store gets a `400`.
enum OpenAIResponsesMock {
    static let retrievePrefix = "/v1/responses/"

    static func respond(to request: MockRequest, state: MockState) -> MockResponse {
        guard let json = request.jsonObject(), let prompt = MockPrompt(responsesRequest: json) else {
            return OpenAIError.invalidRequest("The request body must be a JSON object with an 'input' string or array of items.")
        }
        let previous = json["previous_response_id"] as? String
        if let previous, state.storedResponse(id: previous) == nil {
            return OpenAIError.invalidRequest("Previous response with id '\(previous)' not found.")
        }
        let answer = Answer(prompt: prompt, json: json, previous: previous)
        let response = answer.response(status: json["background"] as? Bool == true ? "queued" : "completed")
        if answer.stored { state.rememberResponse(response, id: answer.id) }
        return prompt.stream ? .eventStream(answer.events(completed: response)) : .json(response)
    }

    /// `GET /v1/responses/{id}`: a stored response, or `404`.
    static func retrieve(_ request: MockRequest, state: MockState) -> MockResponse {
        let id = String(request.path.dropFirst(retrievePrefix.count))
        guard let response = state.storedResponse(id: id) else {
            return OpenAIError.body("Response with id '\(id)' not found.", type: "invalid_request_error", status: .notFound)
        }
        return .json(response)
    }

    /// One deterministic answer and the ways to send it.
    private struct Answer {
        let prompt: MockPrompt
        let json: [String: Any]
        let previous: String?
        let id: String
        let stored: Bool
        let reasons: Bool
        let summary: String?
        let outputText: String

        init(prompt: MockPrompt, json: [String: Any], previous: String?) {
            self.prompt = prompt
            self.json = json
            self.previous = previous
            // Responses made with store off get other ids, as every real response has its own.
            stored = json["store"] as? Bool ?? true
            id = MockAnswer.id("resp_", prompt.idSeed + Array("\(previous ?? "")\(stored ? "" : "\u{0}unstored")".utf8))
            reasons = prompt.model.hasPrefix("o") || prompt.model.hasPrefix("gpt-5")
            let wantsSummary = (json["reasoning"] as? [String: Any])?["summary"] is String
            summary = reasons && wantsSummary ? "Mock reasoning about: \(prompt.lastUserText)" : nil
            outputText = prompt.callsTool ? MockAnswer.toolArguments(for: prompt.lastUserText) : MockAnswer.text(for: prompt.lastUserText)
        }

        private func itemID(_ prefix: String) -> JSONValue { .string(MockAnswer.id(prefix, Array(id.utf8))) }

        /// The output items (with their type and id), complete or as `response.output_item.added` opens them.
        func items(complete: Bool) -> [(type: String, id: JSONValue, item: JSONValue)] {
            var items: [(type: String, id: JSONValue, item: JSONValue)] = []
            if reasons {
                let parts: [JSONValue] = complete ? summary.map { [["type": "summary_text", "text": .string($0)]] } ?? [] : []
                items.append(("reasoning", itemID("rs_"), ["id": itemID("rs_"), "type": "reasoning", "summary": .array(parts)]))
            }
            let status: JSONValue = complete ? "completed" : "in_progress"
            if prompt.callsTool {
                items.append(("function_call", itemID("fc_"), [
                    "id": itemID("fc_"), "type": "function_call", "status": status,
                    "arguments": .string(complete ? outputText : ""), "call_id": itemID("call_"), "name": .string(prompt.toolName ?? "tool"),
                ]))
            } else {
                let content: [JSONValue] = complete ? [["type": "output_text", "annotations": [], "logprobs": [], "text": .string(outputText)]] : []
                items.append(("message", itemID("msg_"), ["id": itemID("msg_"), "type": "message", "status": status, "content": .array(content), "role": "assistant"]))
            }
            return items
        }

        /// The response object; `in_progress` and `queued` ones have no output and no usage.
        func response(status: String) -> JSONValue {
            let finished = status == "completed"
            let reasoningTokens = summary.map(MockAnswer.tokenCount) ?? (reasons ? 16 : 0)
            let outputTokens = MockAnswer.tokenCount(outputText) + reasoningTokens
            let usage: JSONValue = [
                "input_tokens": .int(prompt.promptTokens), "input_tokens_details": ["cached_tokens": 0],
                "output_tokens": .int(outputTokens), "output_tokens_details": ["reasoning_tokens": .int(reasoningTokens)],
                "total_tokens": .int(prompt.promptTokens + outputTokens),
            ]
            let requestReasoning = json["reasoning"] as? [String: Any]
            return [
                "id": .string(id), "object": "response", "created_at": .int(MockAnswer.created), "status": .string(status),
                "background": .bool(json["background"] as? Bool ?? false), "error": nil, "incomplete_details": nil,
                "instructions": echo("instructions"), "max_output_tokens": echo("max_output_tokens"), "model": .string(prompt.model),
                "output": .array(finished ? items(complete: true).map(\.item) : []), "parallel_tool_calls": echo("parallel_tool_calls", default: true),
                "previous_response_id": previous.map(JSONValue.string) ?? nil,
                "reasoning": reasons
                    ? ["effort": .string(requestReasoning?["effort"] as? String ?? "medium"), "summary": (requestReasoning?["summary"] as? String).map(JSONValue.string) ?? nil]
                    : ["effort": nil, "summary": nil],
                "store": echo("store", default: true), "temperature": echo("temperature", default: .float(1)),
                "text": echo("text", default: ["format": ["type": "text"]]), "tool_choice": echo("tool_choice", default: "auto"),
                "tools": echo("tools", default: []), "top_p": echo("top_p", default: .float(1)),
                "truncation": echo("truncation", default: "disabled"), "usage": finished ? usage : nil,
                "user": echo("user"), "metadata": echo("metadata", default: [:]),
            ]
        }

        private func echo(_ field: String, default fallback: JSONValue = nil) -> JSONValue {
            json[field].flatMap(JSONValue.init(foundation:)) ?? fallback
        }

        /// The typed event stream of the real API, ending with `response.completed` carrying `completed`.
        func events(completed: JSONValue) -> [String] {
            var events: [String] = []
            func emit(_ type: String, _ fields: [(String, JSONValue)]) {
                events.append(ServerSentEvent.event(type, .object([("type", .string(type)), ("sequence_number", .int(events.count))] + fields)))
            }
            let inProgress = response(status: "in_progress")
            emit("response.created", [("response", inProgress)])
            emit("response.in_progress", [("response", inProgress)])
            for (index, (opening, done)) in zip(items(complete: false), items(complete: true)).enumerated() {
                let at: [(String, JSONValue)] = [("item_id", done.id), ("output_index", .int(index))]
                emit("response.output_item.added", [("output_index", .int(index)), ("item", opening.item)])
                switch done.type {
                case "reasoning":
                    if let summary {
                        let part: [(String, JSONValue)] = at + [("summary_index", 0)]
                        emit("response.reasoning_summary_part.added", part + [("part", ["type": "summary_text", "text": ""])])
                        for piece in MockAnswer.pieces(of: summary) { emit("response.reasoning_summary_text.delta", part + [("delta", .string(piece))]) }
                        emit("response.reasoning_summary_text.done", part + [("text", .string(summary))])
                        emit("response.reasoning_summary_part.done", part + [("part", ["type": "summary_text", "text": .string(summary)])])
                    }
                case "function_call":
                    for fragment in MockAnswer.fragments(of: outputText) { emit("response.function_call_arguments.delta", at + [("delta", .string(fragment))]) }
                    emit("response.function_call_arguments.done", at + [("arguments", .string(outputText))])
                default:
                    let part: [(String, JSONValue)] = at + [("content_index", 0)]
                    emit("response.content_part.added", part + [("part", ["type": "output_text", "annotations": [], "logprobs": [], "text": ""])])
                    for piece in MockAnswer.pieces(of: outputText) { emit("response.output_text.delta", part + [("delta", .string(piece)), ("logprobs", [])]) }
                    emit("response.output_text.done", part + [("text", .string(outputText)), ("logprobs", [])])
                    emit("response.content_part.done", part + [("part", ["type": "output_text", "annotations": [], "logprobs": [], "text": .string(outputText)])])
                }
                emit("response.output_item.done", [("output_index", .int(index)), ("item", done.item)])
            }
            emit("response.completed", [("response", completed)])
            return events
        }
    }
}
