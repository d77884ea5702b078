/// An API endpoint whose responses semcache can cache. Every other method and path is passed through untouched.
public enum CacheEndpoint: String, Sendable, CaseIterable {
    /// OpenAI `POST /v1/chat/completions`.
    case chatCompletions
    /// OpenAI `POST /v1/completions` (legacy text completions).
    case completions
    /// OpenAI `POST /v1/embeddings`.
    case embeddings
    /// Anthropic `POST /v1/messages`.
    case anthropicMessages
    /// OpenAI `POST /v1/responses` (the Responses API). `GET`/`DELETE /v1/responses/{id}` and the other
    /// paths under it are other requests and pass through.
    case responses

    /// Matches a request line: method `POST` (case-sensitive, as HTTP methods are) and one of the exact
    /// paths. A query string is ignored; anything else (other methods, trailing slashes, other paths) gives
    /// `nil`, meaning "pass through".
    public init?(method: String, path: some StringProtocol) {
        guard method == "POST" else { return nil }
        // Runs for every request: a switch over the path, no split, array or copy.
        let path = Substring(path)
        switch path.utf8.firstIndex(of: UInt8(ascii: "?")).map({ path[..<$0] }) ?? path {
        case "/v1/chat/completions": self = .chatCompletions
        case "/v1/completions": self = .completions
        case "/v1/embeddings": self = .embeddings
        case "/v1/messages": self = .anthropicMessages
        case "/v1/responses": self = .responses
        default: return nil
        }
    }

    /// The request path, for example `/v1/chat/completions`.
    public var path: String {
        switch self {
        case .chatCompletions: "/v1/chat/completions"
        case .completions: "/v1/completions"
        case .embeddings: "/v1/embeddings"
        case .anthropicMessages: "/v1/messages"
        case .responses: "/v1/responses"
        }
    }

    /// Whether the endpoint can answer with a server-sent event stream (`"stream": true`).
    public var supportsStreaming: Bool { self != .embeddings }

    /// Top-level request fields left out of the cache key because they cannot change the answer's content.
    ///
    /// Each is checked against the provider's API reference:
    /// - `stream`, `stream_options`: transport only; the same answer is delivered as JSON or as a stream
    ///   (semcache converts between the two; `stream_options.include_usage` only adds the usage chunk).
    /// - `user`, `safety_identifier`: end-user identifiers for abuse monitoring.
    /// - `metadata`, `store`: tags and storage of the completion in the provider's dashboard (Anthropic's
    ///   `metadata.user_id` is also an abuse-monitoring identifier).
    /// - `service_tier`: which capacity pool serves the request (latency and price, not the model or its output).
    /// - `prompt_cache_key`, `prompt_cache_retention`: routing and lifetime of the provider's own prompt cache;
    ///   they change only `usage.prompt_tokens_details.cached_tokens`, never the generated content.
    /// - `encoding_format` (embeddings): how the same vectors are written (``EmbeddingEncoding``); a hit is
    ///   converted to the encoding the request asks for.
    ///
    /// The Responses API ignores the same kinds of field (`stream`, `stream_options` — whose only option,
    /// `include_obfuscation`, pads delta events —, `user`, `safety_identifier`, `metadata`, `service_tier`,
    /// `prompt_cache_key`, `prompt_cache_retention`) and `store`, which ``CacheRequest`` keys separately as a
    /// boolean (absent means `true`): an answer made with `store: false` has an id the upstream does not know, so
    /// it must never answer a request that may chain it with `previous_response_id`. `include`, `truncation`,
    /// `max_output_tokens`, `max_tool_calls`, `parallel_tool_calls`, `top_logprobs`, `text`, `reasoning`,
    /// `instructions`, `tools`, `previous_response_id` and `prompt` can change the output and stay in the key.
    /// The response object echoes some ignored fields (`metadata`, `user`, `service_tier`, …): a hit shows the
    /// values of the request that made the entry.
    ///
    /// Only the fields each endpoint documents are ignored there: a field an endpoint does not know stays in
    /// the key, so such a request can never be answered from an entry made without it. Everything else
    /// (model, messages, temperature, top_p, seed, n, tools, tool_choice, response_format, max_tokens,
    /// logprobs, stop, …) is part of the key.
    public var ignoredFields: [String] {
        switch self {
        case .chatCompletions:
            ["stream", "stream_options", "user", "metadata", "store", "service_tier", "safety_identifier",
             "prompt_cache_key", "prompt_cache_retention"]
        case .completions: ["stream", "stream_options", "user"]
        case .embeddings: ["user", "encoding_format"]
        case .anthropicMessages: ["stream", "metadata", "service_tier"]
        case .responses:
            ["stream", "stream_options", "user", "safety_identifier", "metadata", "store", "service_tier",
             "prompt_cache_key", "prompt_cache_retention"]
        }
    }
}
