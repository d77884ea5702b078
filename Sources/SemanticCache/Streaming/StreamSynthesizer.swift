/// Produces the SSE stream an endpoint would have sent for a stored non-streamed answer.
public enum StreamSynthesizer {
    /// The SSE bytes for `response`, or `nil` when the endpoint does not stream (embeddings) or the stored
    /// answer does not have the endpoint's shape. `includeUsage` mirrors the request's
    /// `stream_options.include_usage` (chat and text completions; Anthropic and Responses API streams always carry usage).
    public static func synthesize(endpoint: CacheEndpoint, response: JSONValue, includeUsage: Bool) -> [UInt8]? {
        switch endpoint {
        case .chatCompletions: ChatStreamSynthesizer.synthesize(response, includeUsage: includeUsage)
        case .completions: CompletionStreamSynthesizer.synthesize(response, includeUsage: includeUsage)
        case .anthropicMessages: AnthropicStreamSynthesizer.synthesize(response)
        case .responses: ResponsesStreamSynthesizer.synthesize(response)
        case .embeddings: nil
        }
    }
}
