/// Produces the OpenAI Responses API event stream for a stored `response` JSON, so a stored non-streamed answer
/// can answer a streaming request. The events are those the API sends, each as `event: <type>` plus
/// `data: <json>` with a `sequence_number` counting from 0:
///
/// 1. `response.created` and `response.in_progress`: the response with `status: in_progress`, empty
///    `output` and `usage: null`;
/// 2. per output item, by `output_index`: `response.output_item.added` (the item still empty and
///    `in_progress`), then its content:
///    - message: per content part `response.content_part.added`, then `response.output_text.delta` pieces
///      (the part's `logprobs` ride on the first), one `response.output_text.annotation.added` per
///      annotation and `response.output_text.done` — or `response.refusal.delta`/`.done` for a refusal —
///      and `response.content_part.done`;
///    - function call: `response.function_call_arguments.delta` pieces and `.done`;
///    - reasoning: per summary part `response.reasoning_summary_part.added`,
///      `response.reasoning_summary_text.delta` pieces, `.text.done`, `.part.done`; per `reasoning_text`
///      content part `response.content_part.added`, `response.reasoning_text.delta` pieces, `.done`,
///      `response.content_part.done`;
///    - any other item (web search, file search, image generation, …) has no content events;
///
///    and `response.output_item.done` with the whole item;
/// 3. `response.completed` with the whole stored response. No `[DONE]` marker.
public enum ResponsesStreamSynthesizer {
    /// The SSE bytes, or `nil` when `response` is not a completed Responses API response with an `output` array.
    public static func synthesize(_ response: JSONValue) -> [UInt8]? {
        guard response["object"]?.string == "response", response["status"]?.string == "completed",
              let output = response["output"]?.array
        else { return nil }
        var stream = EventWriter()
        var inProgress = JSONObjectBuilder(response)
        inProgress["status"] = "in_progress"
        inProgress["output"] = []
        inProgress["usage"] = .null
        if inProgress["completed_at"] != nil { inProgress["completed_at"] = .null }
        stream.emit("response.created", [("response", inProgress.value)])
        stream.emit("response.in_progress", [("response", inProgress.value)])
        for (index, item) in output.enumerated() {
            ItemEvents(item: item, outputIndex: index).write(to: &stream)
        }
        stream.emit("response.completed", [("response", response)])
        return stream.writer.bytes
    }

    /// Numbers the events and writes each with its type as the SSE event name.
    private struct EventWriter {
        var writer = SSEWriter()
        private var sequenceNumber = 0

        mutating func emit(_ type: String, _ fields: [(key: String, value: JSONValue)]) {
            let payload: JSONValue = .object([("type", .string(type)), ("sequence_number", .number(JSONNumber(sequenceNumber)))] + fields)
            writer.write(payload, event: type)
            sequenceNumber += 1
        }
    }

    /// The events of one output item.
    private struct ItemEvents {
        let item: JSONValue
        let outputIndex: Int

        private var position: [(key: String, value: JSONValue)] {
            [("item_id", item["id"] ?? ""), ("output_index", .number(JSONNumber(outputIndex)))]
        }

        func write(to stream: inout EventWriter) {
            var opening = JSONObjectBuilder(item)
            if opening["status"] != nil { opening["status"] = "in_progress" }
            switch item["type"]?.string {
            case "message":
                opening["content"] = []
                added(opening, to: &stream)
                for (contentIndex, part) in (item["content"]?.array ?? []).enumerated() {
                    messagePart(part, contentIndex: contentIndex, to: &stream)
                }
            case "function_call":
                opening["arguments"] = ""
                added(opening, to: &stream)
                let arguments = item["arguments"]?.string ?? ""
                for piece in SSEWriter.pieces(of: arguments) {
                    stream.emit("response.function_call_arguments.delta", position + [("delta", .string(piece))])
                }
                stream.emit("response.function_call_arguments.done", position + [("arguments", .string(arguments))])
            case "reasoning":
                opening["summary"] = []
                if opening["content"] != nil { opening["content"] = [] }
                added(opening, to: &stream)
                for (summaryIndex, part) in (item["summary"]?.array ?? []).enumerated() {
                    reasoningPart(part, ("summary_index", summaryIndex), events: Self.summaryEvents, to: &stream)
                }
                for (contentIndex, part) in (item["content"]?.array ?? []).enumerated() {
                    reasoningPart(part, ("content_index", contentIndex), events: Self.reasoningTextEvents, to: &stream)
                }
            default:
                added(opening, to: &stream)
            }
            stream.emit("response.output_item.done", [("output_index", .number(JSONNumber(outputIndex))), ("item", item)])
        }

        private func added(_ opening: JSONObjectBuilder, to stream: inout EventWriter) {
            stream.emit("response.output_item.added", [("output_index", .number(JSONNumber(outputIndex))), ("item", opening.value)])
        }

        private func messagePart(_ part: JSONValue, contentIndex: Int, to stream: inout EventWriter) {
            let at = position + [("content_index", .number(JSONNumber(contentIndex)))]
            var opening = JSONObjectBuilder(part)
            switch part["type"]?.string {
            case "output_text":
                opening["text"] = ""
                opening["annotations"] = []
                if opening["logprobs"] != nil { opening["logprobs"] = [] }
                stream.emit("response.content_part.added", at + [("part", opening.value)])
                let text = part["text"]?.string ?? ""
                var logprobs = part["logprobs"] ?? []
                for piece in SSEWriter.pieces(of: text) {
                    stream.emit("response.output_text.delta", at + [("delta", .string(piece)), ("logprobs", logprobs)])
                    logprobs = []
                }
                for (annotationIndex, annotation) in (part["annotations"]?.array ?? []).enumerated() {
                    stream.emit("response.output_text.annotation.added",
                                at + [("annotation_index", .number(JSONNumber(annotationIndex))), ("annotation", annotation)])
                }
                stream.emit("response.output_text.done", at + [("text", .string(text)), ("logprobs", part["logprobs"] ?? [])])
            case "refusal":
                opening["refusal"] = ""
                stream.emit("response.content_part.added", at + [("part", opening.value)])
                let refusal = part["refusal"]?.string ?? ""
                for piece in SSEWriter.pieces(of: refusal) { stream.emit("response.refusal.delta", at + [("delta", .string(piece))]) }
                stream.emit("response.refusal.done", at + [("refusal", .string(refusal))])
            default:
                stream.emit("response.content_part.added", at + [("part", part)])
            }
            stream.emit("response.content_part.done", at + [("part", part)])
        }

        /// The event types of a reasoning part: opened, text delta, text done, closed.
        private typealias PartEvents = (added: String, delta: String, done: String, partDone: String)
        private static let summaryEvents: PartEvents = (
            "response.reasoning_summary_part.added", "response.reasoning_summary_text.delta",
            "response.reasoning_summary_text.done", "response.reasoning_summary_part.done")
        private static let reasoningTextEvents: PartEvents = (
            "response.content_part.added", "response.reasoning_text.delta", "response.reasoning_text.done", "response.content_part.done")

        /// A summary part or a `reasoning_text` content part: opened empty, its text in pieces, then whole.
        private func reasoningPart(_ part: JSONValue, _ index: (name: String, value: Int), events: PartEvents, to stream: inout EventWriter) {
            let at = position + [(index.name, .number(JSONNumber(index.value)))]
            let text = part["text"]?.string ?? ""
            stream.emit(events.added, at + [("part", part.settingMember("text", to: ""))])
            for piece in SSEWriter.pieces(of: text) { stream.emit(events.delta, at + [("delta", .string(piece))]) }
            stream.emit(events.done, at + [("text", .string(text))])
            stream.emit(events.partDone, at + [("part", part)])
        }
    }
}
