import Store

/// Turns a stored entry into the body a request asked for. Embeddings: the vectors in the
/// request's `encoding_format`. Same stream mode: the stored bytes as they are (a chat or text
/// completion stream without its usage chunk when the request did not ask for it). Across modes (chat completions, completions, Anthropic messages, the Responses API): a stored stream
/// answers a non-stream request with the assembled JSON, and a stored JSON answer a stream
/// request with synthesised SSE.
enum HitRenderer {
    struct Rendered: Sendable {
        var body: [UInt8]
        var contentType: String
    }

    /// The body for `request`, or nil when the entry cannot answer it (it is then a miss).
    static func render(_ entry: NewEntry, for request: CacheRequest) -> Rendered? {
        if let encoding = request.embeddingEncoding {
            guard let body = encoding.convert(entry.response) else { return nil }
            return Rendered(body: body, contentType: entry.contentType ?? "application/json")
        }
        let storedAsStream = entry.responseKind == .sse
        if storedAsStream == request.isStream {
            let fallback = storedAsStream ? "text/event-stream" : "application/json"
            let body = request.omitsStreamUsage ? UsageChunkFilter.removingUsageChunk(from: entry.response) : entry.response
            return Rendered(body: body, contentType: entry.contentType ?? fallback)
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
