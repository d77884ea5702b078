/// Turns an OpenAI text completion stream (`text_completion` chunks) into the `text_completion` JSON a
/// non-streamed request would have received: per choice `text` concatenated, `logprobs` arrays
/// (`tokens`, `token_logprobs`, `top_logprobs`, `text_offset`) appended, and `finish_reason`.
///
/// Complete only when `data: [DONE]` arrived and every choice has a `finish_reason`.
public struct CompletionStreamAssembler: Sendable {
    private var stream = OpenAIChunkStream(chunkObject: "text_completion")
    private var choices: [Int: Choice] = [:]

    private struct Choice: Sendable {
        var text = ""
        var logprobs: JSONObjectBuilder?
        var finishReason: JSONValue?
    }

    public init() {}

    /// Consumes one event of the stream.
    public mutating func consume(_ event: SSEEvent) {
        stream.consume(event, into: &choices, newChoice: Choice.init) { choiceJSON, choice in
            if let text = choiceJSON["text"]?.string { choice.text += text }
            if let reason = choiceJSON["finish_reason"], !reason.isNull { choice.finishReason = reason }
            OpenAIChunkStream.mergeLogprobs(choiceJSON["logprobs"], into: &choice.logprobs)
            return nil
        }
    }

    /// The assembled `text_completion`, or why the stream cannot be stored.
    public var result: StreamAssemblyResult {
        stream.result(object: "text_completion", choices: choices, finishReason: \.finishReason) { index, choice in
            [
                "text": .string(choice.text),
                "index": .number(JSONNumber(index)),
                "logprobs": choice.logprobs?.value ?? .null,
                "finish_reason": choice.finishReason ?? .null,
            ]
        }
    }
}
