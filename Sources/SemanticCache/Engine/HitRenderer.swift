import Store

/// Turns a stored entry into the body a request asked for. Same stream mode: the stored bytes
/// as they are. Across modes (chat completions, completions, Anthropic messages, the Responses API): a stored stream
/// answers a non-stream request with the assembled JSON, and a stored JSON answer a stream
/// request with synthesised SSE.
enum HitRenderer {
    struct Rendered: Sendable {
        var body: [UInt8]
        var contentType: String
    }

    /// The body for `request`, or nil when the entry cannot answer it (it is then a miss).
    static func render(_ entry: NewEntry, for request: CacheRequest) -> Rendered? {
        let storedAsStream = entry.responseKind == .sse
        if storedAsStream == request.isStream {
            let fallback = storedAsStream ? "text/event-stream" : "application/json"
            return Rendered(body: entry.response, contentType: entry.contentType ?? fallback)
        }
        if storedAsStream {
            guard let assembled = StreamAssembler.assemble(endpoint: request.endpoint, stream: entry.response).response else { return nil }
            return Rendered(body: assembled.compactBytes, contentType: "application/json")
        }
        guard let json = try? JSONValue.parse(entry.response),
              let stream = StreamSynthesizer.synthesize(endpoint: request.endpoint, response: json, includeUsage: request.wantsStreamUsage)
        else { return nil }
        return Rendered(body: stream, contentType: "text/event-stream; charset=utf-8")
    }
}
