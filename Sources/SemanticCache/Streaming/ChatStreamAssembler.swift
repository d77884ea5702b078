/// Turns an OpenAI chat completion stream (`chat.completion.chunk` events) into the `chat.completion`
/// JSON a non-streamed request would have received.
///
/// Assembles per choice (by `index`): `message.role`, `content` and `refusal` (concatenated; `null` when
/// none arrived), `tool_calls` by their `index` (`id`, `type`, `function.name`, `function.arguments`
/// concatenated), other string or array delta fields (concatenated or appended, e.g. `annotations`),
/// `logprobs.content`/`logprobs.refusal` (appended) and `finish_reason`; plus `id`, `created`, `model`,
/// `service_tier`, `system_fingerprint` and `usage` from the chunks.
///
/// The stream is complete only when `data: [DONE]` arrived and every choice has a `finish_reason`.
/// An error event, an unparsable chunk, or a delta field it cannot merge (an object such as the legacy
/// `function_call`) makes it incomplete, so it is never stored.
public struct ChatStreamAssembler: Sendable {
    private var stream = OpenAIChunkStream(chunkObject: "chat.completion.chunk")
    private var choices: [Int: Choice] = [:]

    private struct Choice: Sendable {
        var message = JSONObjectBuilder()
        var toolCalls: [Int: JSONObjectBuilder] = [:]
        var logprobs: JSONObjectBuilder?
        var finishReason: JSONValue?
    }

    public init() {}

    /// Consumes one event of the stream.
    public mutating func consume(_ event: SSEEvent) {
        stream.consume(event, into: &choices, newChoice: Choice.init, merge: Self.merge)
    }

    /// The assembled `chat.completion`, or why the stream cannot be stored.
    public var result: StreamAssemblyResult {
        stream.result(object: "chat.completion", choices: choices, finishReason: \.finishReason, render: Self.choiceJSON)
    }

    /// Merges one choice of a chunk; returns a failure reason for deltas it cannot merge.
    private static func merge(_ choiceJSON: JSONValue, into choice: inout Choice) -> String? {
        if let reason = choiceJSON["finish_reason"], !reason.isNull { choice.finishReason = reason }
        OpenAIChunkStream.mergeLogprobs(choiceJSON["logprobs"], into: &choice.logprobs)
        guard let delta = choiceJSON["delta"]?.object else { return nil }
        for (key, value) in delta {
            switch (key, value) {
            case (_, .null):
                continue
            case ("role", .string(let role)):
                choice.message["role"] = .string(role)
            case ("tool_calls", .array(let calls)):
                for call in calls {
                    guard let index = call["index"]?.int else { return "a tool call delta has no integer 'index'" }
                    var builder = choice.toolCalls[index] ?? JSONObjectBuilder()
                    if let id = call["id"]?.string { builder["id"] = .string(id) }
                    if let type = call["type"]?.string { builder["type"] = .string(type) }
                    var function = JSONObjectBuilder(builder["function"])
                    if let name = call["function"]?["name"]?.string { function.appendString(name, to: "name") }
                    if let arguments = call["function"]?["arguments"]?.string { function.appendString(arguments, to: "arguments") }
                    builder["function"] = function.value
                    choice.toolCalls[index] = builder
                }
            case (_, .string(let text)):
                choice.message.appendString(text, to: key)
            case (_, .array(let elements)):
                choice.message.appendElements(elements, to: key)
            default:
                return "the delta field '\(key)' cannot be assembled"
            }
        }
        return nil
    }

    private static func choiceJSON(index: Int, _ choice: Choice) -> JSONValue {
        var message = JSONObjectBuilder()
        message["role"] = choice.message["role"] ?? "assistant"
        message["content"] = choice.message["content"] ?? .null
        message["refusal"] = choice.message["refusal"] ?? .null
        if !choice.toolCalls.isEmpty {
            message["tool_calls"] = .array(choice.toolCalls.sorted { $0.key < $1.key }.map { _, call in
                var call = call
                call["type"] = call["type"] ?? "function"
                var function = JSONObjectBuilder(call["function"])
                function["arguments"] = function["arguments"] ?? ""
                call["function"] = function.value
                return call.value
            })
        }
        for (key, value) in choice.message.members where message[key] == nil {
            message[key] = value
        }
        return [
            "index": .number(JSONNumber(index)),
            "message": message.value,
            "logprobs": choice.logprobs?.value ?? .null,
            "finish_reason": choice.finishReason ?? .null,
        ]
    }
}
