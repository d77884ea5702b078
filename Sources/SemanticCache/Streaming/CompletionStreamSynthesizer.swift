/// Produces the OpenAI text completion stream for a stored `text_completion` JSON: per choice its `text`
/// in pieces and a final chunk with `finish_reason` (carrying the choice's `logprobs`), a usage chunk when
/// `include_usage` was requested, then `data: [DONE]`.
public enum CompletionStreamSynthesizer {
    /// The SSE bytes, or `nil` when `completion` is not a text completion with choices.
    public static func synthesize(_ completion: JSONValue, includeUsage: Bool) -> [UInt8]? {
        guard let choices = completion["choices"]?.array, !choices.isEmpty,
              choices.allSatisfy({ $0["text"]?.string != nil && $0["index"]?.int != nil })
        else { return nil }
        let header = OpenAIChunkHeader(completion: completion, object: "text_completion", includeUsage: includeUsage)
        var writer = SSEWriter()
        for choice in choices {
            let index = choice["index"] ?? 0
            for piece in SSEWriter.pieces(of: choice["text"]?.string ?? "") {
                writer.write(header.chunk(choices: [["text": .string(piece), "index": index, "logprobs": .null, "finish_reason": .null]]))
            }
            writer.write(header.chunk(choices: [[
                "text": "", "index": index, "logprobs": choice["logprobs"] ?? .null, "finish_reason": choice["finish_reason"] ?? "stop",
            ]]))
        }
        if includeUsage {
            writer.write(header.chunk(choices: [], usage: completion["usage"] ?? .null))
        }
        writer.writeDone()
        return writer.bytes
    }
}
