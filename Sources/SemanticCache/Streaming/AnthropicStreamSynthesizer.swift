/// Produces the Anthropic messages stream for a stored `message` JSON, so a stored non-streamed answer can
/// answer a streaming request.
///
/// Events, each as `event: <type>` plus `data: <json>`: `message_start` (the message with empty `content`,
/// `stop_reason: null` and the stored usage), then per content block `content_block_start`, its deltas
/// (`text_delta` pieces for text, `input_json_delta` pieces of the compact `input` for tool use,
/// `thinking_delta` pieces and one `signature_delta` for thinking; other block types are sent whole in
/// `content_block_start`), `content_block_stop`; then `message_delta` with `stop_reason`, `stop_sequence`
/// and the usage, and `message_stop`.
public enum AnthropicStreamSynthesizer {
    /// The SSE bytes, or `nil` when `message` is not an Anthropic message with a content array.
    public static func synthesize(_ message: JSONValue) -> [UInt8]? {
        guard message["type"]?.string == "message", let blocks = message["content"]?.array else { return nil }
        var writer = SSEWriter()
        var start = JSONObjectBuilder(message)
        start["content"] = []
        start["stop_reason"] = .null
        start["stop_sequence"] = .null
        writer.write(["type": "message_start", "message": start.value], event: "message_start")
        for (position, block) in blocks.enumerated() {
            let index = JSONValue.number(JSONNumber(position))
            func delta(_ delta: JSONValue) {
                writer.write(["type": "content_block_delta", "index": index, "delta": delta], event: "content_block_delta")
            }
            var opening = JSONObjectBuilder(block)
            switch block["type"]?.string {
            case "text":
                opening["text"] = ""
                opening["citations"] = nil
                writer.write(["type": "content_block_start", "index": index, "content_block": opening.value], event: "content_block_start")
                for citation in block["citations"]?.array ?? [] { delta(["type": "citations_delta", "citation": citation]) }
                for piece in SSEWriter.pieces(of: block["text"]?.string ?? "") { delta(["type": "text_delta", "text": .string(piece)]) }
            case "tool_use", "server_tool_use":
                opening["input"] = [:]
                writer.write(["type": "content_block_start", "index": index, "content_block": opening.value], event: "content_block_start")
                let input = String(decoding: (block["input"] ?? [:]).compactBytes, as: UTF8.self)
                for piece in SSEWriter.pieces(of: input) { delta(["type": "input_json_delta", "partial_json": .string(piece)]) }
            case "thinking":
                opening["thinking"] = ""
                opening["signature"] = ""
                writer.write(["type": "content_block_start", "index": index, "content_block": opening.value], event: "content_block_start")
                for piece in SSEWriter.pieces(of: block["thinking"]?.string ?? "") { delta(["type": "thinking_delta", "thinking": .string(piece)]) }
                delta(["type": "signature_delta", "signature": block["signature"] ?? ""])
            default:
                writer.write(["type": "content_block_start", "index": index, "content_block": block], event: "content_block_start")
            }
            writer.write(["type": "content_block_stop", "index": index], event: "content_block_stop")
        }
        writer.write([
            "type": "message_delta",
            "delta": ["stop_reason": message["stop_reason"] ?? "end_turn", "stop_sequence": message["stop_sequence"] ?? .null],
            "usage": message["usage"] ?? [:],
        ], event: "message_delta")
        writer.write(["type": "message_stop"], event: "message_stop")
        return writer.bytes
    }
}
