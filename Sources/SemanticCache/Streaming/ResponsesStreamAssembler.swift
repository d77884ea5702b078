/// Turns an OpenAI Responses API event stream into the `response` JSON a non-streamed request would have
/// received.
///
/// `response.completed` carries the whole response (output items, usage, status), so it is the answer; only
/// when its `output` is missing are the items taken from the `response.output_item.done` events, by
/// `output_index`, as the official SDKs do. The typed delta events in between (`response.output_text.delta`,
/// `response.function_call_arguments.delta`, `response.reasoning_summary_text.delta`, …) only repeat what the
/// done events and `response.completed` hold, and are not needed.
///
/// Complete only when `response.created` came first and `response.completed` arrived with a response whose
/// status is `completed`, and nothing after it. `response.failed`, `response.incomplete` and `error` events
/// make the stream incomplete, as does an item that was added but never done when the output must be
/// rebuilt from the done events.
public struct ResponsesStreamAssembler: Sendable {
    private var started = false
    private var completed: JSONValue?
    private var addedItems: Set<Int> = []
    private var doneItems: [Int: JSONValue] = [:]
    private var failure: String?

    public init() {}

    /// Consumes one event of the stream (the type is read from the data's `type` field, else the event name).
    public mutating func consume(_ event: SSEEvent) {
        guard failure == nil else { return }
        guard completed == nil else { return fail("data arrived after response.completed") }
        let payload: JSONValue
        do {
            payload = try JSONValue.parse(event.data)
        } catch {
            return fail("an event is not valid JSON: \(error)")
        }
        let type = payload["type"]?.string ?? event.event
        guard started || type == "response.created" else { return fail("the stream does not start with response.created (\(type))") }
        switch type {
        case "response.created":
            guard !started else { return fail("a second response.created") }
            started = true
        case "response.output_item.added":
            guard let index = payload["output_index"]?.int else { return fail("response.output_item.added without output_index") }
            addedItems.insert(index)
        case "response.output_item.done":
            guard let index = payload["output_index"]?.int, let item = payload["item"], case .object = item else {
                return fail("response.output_item.done needs output_index and item")
            }
            doneItems[index] = item
        case "response.completed":
            guard let response = payload["response"], case .object = response else { return fail("response.completed without a response") }
            let status = response["status"]?.string ?? "completed"
            guard status == "completed" else { return fail("response.completed with status \(status)") }
            completed = response
        case "response.failed", "response.incomplete":
            fail("the response ended with \(type): \(payload["response"]?["error"] ?? payload["response"]?["incomplete_details"] ?? .null)")
        case "error":
            fail("the upstream reported an error in the stream: \(payload["error"] ?? payload)")
        default:
            break  // in-progress, delta and part events, and event types added to the API later
        }
    }

    /// The assembled response, or why the stream cannot be stored.
    public var result: StreamAssemblyResult {
        if let failure { return .incomplete(reason: failure) }
        guard started else { return .incomplete(reason: "the stream has no response.created") }
        guard let completed else { return .incomplete(reason: "the stream ended before response.completed") }
        if let output = completed["output"], !output.isNull { return .complete(completed) }
        if let open = addedItems.subtracting(doneItems.keys).min() {
            return .incomplete(reason: "output item \(open) was added but never done")
        }
        let output = doneItems.sorted { $0.key < $1.key }.map(\.value)
        return .complete(completed.settingMember("output", to: .array(output)))
    }

    private mutating func fail(_ reason: String) {
        if failure == nil { failure = reason }
    }
}
