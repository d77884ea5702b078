/// What OpenAI's chat and text completion streams share: `data:` events carrying JSON chunks, an
/// optional usage chunk, `{"error": …}` events, and the final `data: [DONE]`.
struct OpenAIChunkStream: Sendable {
    /// The `object` value every chunk must have.
    let chunkObject: String
    private var header = JSONObjectBuilder()
    private var usage: JSONValue?
    private var sawDone = false
    private var failure: String?

    init(chunkObject: String) {
        self.chunkObject = chunkObject
    }

    /// Returns the chunk's `choices` to process, or `nil` for `[DONE]` and for events that ended the stream.
    mutating func choices(of event: SSEEvent) -> [JSONValue]? {
        guard failure == nil else { return nil }
        guard !sawDone else {
            fail("data arrived after [DONE]")
            return nil
        }
        if event.data == "[DONE]" {
            sawDone = true
            return nil
        }
        guard event.event == "message" else {
            fail("unexpected '\(event.event)' event")
            return nil
        }
        let chunk: JSONValue
        do {
            chunk = try JSONValue.parse(event.data)
        } catch {
            fail("a chunk is not valid JSON: \(error)")
            return nil
        }
        if let error = chunk["error"], !error.isNull {
            fail("the upstream reported an error in the stream: \(error)")
            return nil
        }
        guard let choices = chunk["choices"]?.array else {
            fail("a chunk has no 'choices' array")
            return nil
        }
        let object = chunk["object"]?.string ?? ""
        // Azure OpenAI opens with a metadata chunk (empty object type, no choices, prompt_filter_results).
        if object.isEmpty && choices.isEmpty { return [] }
        guard object == chunkObject else {
            fail("a chunk is not a '\(chunkObject)'")
            return nil
        }
        for field in ["id", "created", "model", "service_tier", "system_fingerprint"] {
            if let value = chunk[field], !value.isNull { header[field] = value }
        }
        if let usage = chunk["usage"], !usage.isNull { self.usage = usage }
        return choices
    }

    /// Records why the stream cannot be assembled (the first reason wins).
    mutating func fail(_ reason: String) {
        if failure == nil { failure = reason }
    }

    /// Why the stream did not end normally, or `nil`.
    var endFailure: String? {
        if let failure { return failure }
        return sawDone ? nil : "the stream ended before 'data: [DONE]'"
    }

    /// The non-streamed answer: `id, object, created, model, choices, usage, service_tier, system_fingerprint`.
    func response(object: String, choices: [JSONValue]) -> JSONValue {
        var response = JSONObjectBuilder()
        response["id"] = header["id"]
        response["object"] = .string(object)
        response["created"] = header["created"]
        response["model"] = header["model"]
        response["choices"] = .array(choices)
        response["usage"] = usage
        response["service_tier"] = header["service_tier"]
        response["system_fingerprint"] = header["system_fingerprint"]
        return response.value
    }

    /// Appends the arrays of a chunk's `logprobs` object (`content`, `refusal`, `tokens`, …) to those seen so far;
    /// a `null` member stays `null` until an array arrives, other values are replaced.
    static func mergeLogprobs(_ logprobs: JSONValue?, into merged: inout JSONObjectBuilder?) {
        guard let members = logprobs?.object else { return }
        var builder = merged ?? JSONObjectBuilder()
        for (key, value) in members {
            switch value {
            case .array(let elements): builder.appendElements(elements, to: key)
            case .null: if builder[key] == nil { builder[key] = .null }
            default: builder[key] = value
            }
        }
        merged = builder
    }

    /// Merges the choices of one event into `choices` (by `index`) with `merge`, which returns a failure reason
    /// for a choice it cannot merge.
    mutating func consume<Choice>(
        _ event: SSEEvent, into choices: inout [Int: Choice], newChoice: () -> Choice,
        merge: (JSONValue, inout Choice) -> String?
    ) {
        guard let chunkChoices = self.choices(of: event) else { return }
        for choiceJSON in chunkChoices {
            guard let index = choiceJSON["index"]?.int else {
                fail("a choice has no integer 'index'")
                return
            }
            var choice = choices[index] ?? newChoice()
            if let failure = merge(choiceJSON, &choice) {
                fail(failure)
                return
            }
            choices[index] = choice
        }
    }

    /// The assembled answer when the stream ended normally and every choice has a finish reason.
    func result<Choice>(
        object: String, choices: [Int: Choice], finishReason: (Choice) -> JSONValue?, render: (Int, Choice) -> JSONValue
    ) -> StreamAssemblyResult {
        if let endFailure { return .incomplete(reason: endFailure) }
        guard !choices.isEmpty else { return .incomplete(reason: "the stream has no choices") }
        let ordered = choices.sorted { $0.key < $1.key }
        if let unfinished = ordered.first(where: { finishReason($0.value) == nil }) {
            return .incomplete(reason: "choice \(unfinished.key) has no finish_reason")
        }
        return .complete(response(object: object, choices: ordered.map { render($0.key, $0.value) }))
    }
}
