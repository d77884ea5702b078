/// Turns an Anthropic messages stream into the `message` JSON a non-streamed request would have received.
///
/// `message_start` gives the skeleton; `content_block_start`/`_delta`/`_stop` build the content blocks by
/// `index` (`text_delta` → `text`, `thinking_delta` → `thinking`, `signature_delta` → `signature`,
/// `citations_delta` → `citations`, `input_json_delta` → `input`, parsed from the concatenated
/// `partial_json` when the block stops); `message_delta` sets `stop_reason`, `stop_sequence` and other
/// top-level fields and merges `usage`; `ping` and unknown event types are ignored.
///
/// Complete only when `message_stop` arrived, no `error` event did, every block was stopped and
/// `stop_reason` is set. An unknown delta type or unparsable tool input makes the stream incomplete.
public struct AnthropicStreamAssembler: Sendable {
    private var message: JSONObjectBuilder?
    private var blocks: [Int: Block] = [:]
    private var sawStop = false
    private var failure: String?

    private struct Block: Sendable {
        var content: JSONObjectBuilder
        var partialJSON: String?
        var stopped = false
    }

    public init() {}

    /// Consumes one event of the stream (the type is read from the data's `type` field).
    public mutating func consume(_ event: SSEEvent) {
        guard failure == nil else { return }
        guard !sawStop else { return fail("data arrived after message_stop") }
        let payload: JSONValue
        do {
            payload = try JSONValue.parse(event.data)
        } catch {
            return fail("an event is not valid JSON: \(error)")
        }
        switch payload["type"]?.string ?? event.event {
        case "message_start":
            guard let start = payload["message"], case .object = start else { return fail("message_start has no 'message'") }
            message = JSONObjectBuilder(start)
        case "content_block_start":
            guard let index = payload["index"]?.int, let block = payload["content_block"], case .object = block else {
                return fail("content_block_start needs 'index' and 'content_block'")
            }
            blocks[index] = Block(content: JSONObjectBuilder(block))
        case "content_block_delta":
            guard let index = payload["index"]?.int, var block = blocks[index], !block.stopped,
                  let delta = payload["delta"]
            else { return fail("content_block_delta for a block that is not open") }
            if let problem = Self.apply(delta, to: &block) { return fail(problem) }
            blocks[index] = block
        case "content_block_stop":
            guard let index = payload["index"]?.int, var block = blocks[index], !block.stopped else {
                return fail("content_block_stop for a block that is not open")
            }
            if let partial = block.partialJSON {
                guard let input = try? JSONValue.parse(partial.isEmpty ? "{}" : partial) else {
                    return fail("the tool input of block \(index) is not valid JSON")
                }
                block.content["input"] = input
            }
            block.stopped = true
            blocks[index] = block
        case "message_delta":
            guard message != nil else { return fail("message_delta before message_start") }
            for (key, value) in payload["delta"]?.object ?? [] { message?[key] = value }
            if let usage = payload["usage"]?.object {
                var merged = JSONObjectBuilder(message?["usage"])
                for (key, value) in usage { merged[key] = value }
                message?["usage"] = merged.value
            }
        case "message_stop":
            sawStop = true
        case "error":
            fail("the upstream reported an error in the stream: \(payload["error"] ?? payload)")
        default:
            break  // ping, and event types added to the API later
        }
    }

    /// The assembled `message`, or why the stream cannot be stored.
    public var result: StreamAssemblyResult {
        if let failure { return .incomplete(reason: failure) }
        guard var message else { return .incomplete(reason: "the stream has no message_start") }
        guard sawStop else { return .incomplete(reason: "the stream ended before message_stop") }
        if let open = blocks.first(where: { !$0.value.stopped }) {
            return .incomplete(reason: "content block \(open.key) was never stopped")
        }
        guard let stopReason = message["stop_reason"], !stopReason.isNull else {
            return .incomplete(reason: "the message has no stop_reason")
        }
        message["content"] = .array(blocks.sorted { $0.key < $1.key }.map(\.value.content.value))
        return .complete(message.value)
    }

    private mutating func fail(_ reason: String) {
        if failure == nil { failure = reason }
    }

    private static func apply(_ delta: JSONValue, to block: inout Block) -> String? {
        switch delta["type"]?.string {
        case "text_delta":
            guard let text = delta["text"]?.string else { return "text_delta without 'text'" }
            block.content.appendString(text, to: "text")
        case "thinking_delta":
            guard let thinking = delta["thinking"]?.string else { return "thinking_delta without 'thinking'" }
            block.content.appendString(thinking, to: "thinking")
        case "signature_delta":
            guard let signature = delta["signature"]?.string else { return "signature_delta without 'signature'" }
            block.content.appendString(signature, to: "signature")
        case "citations_delta":
            guard let citation = delta["citation"] else { return "citations_delta without 'citation'" }
            block.content.appendElements([citation], to: "citations")
        case "input_json_delta":
            guard let partial = delta["partial_json"]?.string else { return "input_json_delta without 'partial_json'" }
            block.partialJSON = (block.partialJSON ?? "") + partial
        case let other:
            return "the delta type '\(other ?? "none")' cannot be assembled"
        }
        return nil
    }
}
