/// Produces the OpenAI chat completion stream (`chat.completion.chunk` events) for a stored
/// `chat.completion` JSON, so a stored non-streamed answer can answer a streaming request.
///
/// Per choice, in index order: a first chunk with `role` (and `content: ""`, or `null` for tool-call-only
/// messages, plus any other message fields such as `annotations`), the content and refusal in pieces of a
/// few words, each tool call as a chunk with `id`, `type` and `function.name` followed by its `arguments`
/// in pieces, and a final chunk with `finish_reason`. The choice's `logprobs` ride on its first content
/// chunk (or its final chunk). When the request asked for `stream_options.include_usage`, every chunk
/// carries `"usage": null` and a last chunk with empty `choices` carries the usage, as the real API does.
/// The stream ends with `data: [DONE]`.
public enum ChatStreamSynthesizer {
    /// The SSE bytes, or `nil` when `completion` is not a chat completion with choices.
    public static func synthesize(_ completion: JSONValue, includeUsage: Bool) -> [UInt8]? {
        guard let choices = completion["choices"]?.array, !choices.isEmpty,
              choices.allSatisfy({ $0["message"]?.object != nil && $0["index"]?.int != nil })
        else { return nil }
        let header = OpenAIChunkHeader(completion: completion, object: "chat.completion.chunk", includeUsage: includeUsage)
        var writer = SSEWriter()
        for choice in choices {
            let index = choice["index"] ?? 0
            let message = choice["message"] ?? [:]
            var pendingLogprobs = choice["logprobs"].flatMap { $0.isNull ? nil : $0 }
            func emit(_ delta: JSONValue, finishReason: JSONValue = .null) {
                let logprobs = pendingLogprobs ?? .null
                pendingLogprobs = nil
                writer.write(header.chunk(choices: [["index": index, "delta": delta, "logprobs": logprobs, "finish_reason": finishReason]]))
            }
            func noLogprobs(_ delta: JSONValue) {
                writer.write(header.chunk(choices: [["index": index, "delta": delta, "logprobs": .null, "finish_reason": .null]]))
            }

            var first = JSONObjectBuilder()
            first["role"] = message["role"] ?? "assistant"
            first["content"] = message["content"]?.string != nil ? "" : .null
            for (key, value) in message.object ?? [] where !["role", "content", "refusal", "tool_calls"].contains(key) {
                first[key] = value
            }
            noLogprobs(first.value)
            for piece in SSEWriter.pieces(of: message["content"]?.string ?? "") { emit(["content": .string(piece)]) }
            for piece in SSEWriter.pieces(of: message["refusal"]?.string ?? "") { noLogprobs(["refusal": .string(piece)]) }
            for (position, call) in (message["tool_calls"]?.array ?? []).enumerated() {
                let callIndex = JSONValue.number(JSONNumber(position))
                noLogprobs(["tool_calls": [[
                    "index": callIndex, "id": call["id"] ?? .null, "type": call["type"] ?? "function",
                    "function": ["name": call["function"]?["name"] ?? "", "arguments": ""],
                ]]])
                for piece in SSEWriter.pieces(of: call["function"]?["arguments"]?.string ?? "") {
                    noLogprobs(["tool_calls": [["index": callIndex, "function": ["arguments": .string(piece)]]]])
                }
            }
            emit([:], finishReason: choice["finish_reason"] ?? "stop")
        }
        if includeUsage {
            writer.write(header.chunk(choices: [], usage: completion["usage"] ?? .null))
        }
        writer.writeDone()
        return writer.bytes
    }
}

/// The fields every synthesised OpenAI chunk repeats: `id`, `object`, `created`, `model`, `service_tier`,
/// `system_fingerprint`, and `usage: null` when usage was requested.
struct OpenAIChunkHeader {
    private let members: [(key: String, value: JSONValue)]
    private let includeUsage: Bool

    init(completion: JSONValue, object: String, includeUsage: Bool) {
        var builder = JSONObjectBuilder()
        builder["id"] = completion["id"] ?? ""
        builder["object"] = .string(object)
        builder["created"] = completion["created"] ?? 0
        builder["model"] = completion["model"] ?? ""
        builder["service_tier"] = completion["service_tier"]
        builder["system_fingerprint"] = completion["system_fingerprint"]
        members = builder.members
        self.includeUsage = includeUsage
    }

    func chunk(choices: [JSONValue], usage: JSONValue = .null) -> JSONValue {
        var builder = JSONObjectBuilder(.object(members))
        builder["choices"] = .array(choices)
        if includeUsage { builder["usage"] = usage }
        return builder.value
    }
}
