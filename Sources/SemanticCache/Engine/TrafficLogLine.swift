/// One completed request to a cached endpoint, as the traffic log (`serve --log-file`) records it.
public struct TrafficLogEntry: Sendable {
    /// When the request arrived (Unix time, seconds).
    public var time: Double
    public var endpoint: CacheEndpoint
    /// The request body as received (JSON).
    public var requestBody: [UInt8]
    /// The status sent to the client.
    public var status: Int
    /// The response body sent to the client: JSON, or the SSE transcript when `isStream`.
    public var responseBody: [UInt8]
    public var isStream: Bool
    public var promptTokens: Int?
    public var completionTokens: Int?
    /// How long the upstream took (misses); `nil` for answers from the cache.
    public var upstreamMilliseconds: Double?
    /// What the cache did, as in the `X-Semcache` header: `hit-exact`, `hit-semantic`, `miss`, `bypass`.
    public var cache: String

    public init(
        time: Double, endpoint: CacheEndpoint, requestBody: [UInt8], status: Int, responseBody: [UInt8], isStream: Bool,
        promptTokens: Int?, completionTokens: Int?, upstreamMilliseconds: Double?, cache: String
    ) {
        self.time = time
        self.endpoint = endpoint
        self.requestBody = requestBody
        self.status = status
        self.responseBody = responseBody
        self.isStream = isStream
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.upstreamMilliseconds = upstreamMilliseconds
        self.cache = cache
    }
}

/// The traffic log format: JSONL, one object per completed request to a cached endpoint, members in
/// this order (the small ones first, so `cut -c1-200` shows them):
///
/// ```json
/// {"time":"2025-03-14T09:26:53.589Z","endpoint":"/v1/chat/completions","status":200,"cache":"miss","upstream_ms":812.4,"usage":{"prompt_tokens":14,"completion_tokens":8},"request":{…},"response":{…}}
/// ```
///
/// - `time`: ISO 8601, UTC, milliseconds (readers also accept Unix seconds).
/// - `request`: the request body, re-serialised compactly (one line).
/// - exactly one of `response` (a JSON answer), `response_sse` (a stream's transcript, as a string) or
///   `response_text` (a body that is neither, e.g. an HTML error page); none for an empty body.
/// - `usage` and `upstream_ms` only when known.
///
/// No headers are written, so no credentials; but prompts and answers are, so the file is created `0600`.
/// Requests whose body is not JSON are not written.
enum TrafficLogLine {
    enum Field {
        static let time = "time"
        static let endpoint = "endpoint"
        static let status = "status"
        static let cache = "cache"
        static let upstreamMilliseconds = "upstream_ms"
        static let usage = "usage"
        static let request = "request"
        static let response = "response"
        static let responseSSE = "response_sse"
        static let responseText = "response_text"
    }

    /// The line for `entry`, ending in `\n`; `nil` when the request body is not JSON.
    static func encode(_ entry: TrafficLogEntry) -> [UInt8]? {
        guard let request = try? JSONValue.parse(entry.requestBody) else { return nil }
        var line = JSONObjectBuilder()
        line[Field.time] = .string(ISO8601Timestamp.format(entry.time))
        line[Field.endpoint] = .string(entry.endpoint.path)
        line[Field.status] = .number(JSONNumber(entry.status))
        line[Field.cache] = .string(entry.cache)
        if let milliseconds = entry.upstreamMilliseconds, let number = JSONNumber((milliseconds * 10).rounded() / 10) {
            line[Field.upstreamMilliseconds] = .number(number)
        }
        if entry.promptTokens != nil || entry.completionTokens != nil {
            var usage = JSONObjectBuilder()
            usage["prompt_tokens"] = entry.promptTokens.map { .number(JSONNumber($0)) }
            usage["completion_tokens"] = entry.completionTokens.map { .number(JSONNumber($0)) }
            line[Field.usage] = usage.value
        }
        line[Field.request] = request
        if entry.responseBody.isEmpty {
            // No body: nothing to record.
        } else if entry.isStream {
            line[Field.responseSSE] = .string(String(decoding: entry.responseBody, as: UTF8.self))
        } else if let response = try? JSONValue.parse(entry.responseBody) {
            line[Field.response] = response
        } else {
            line[Field.responseText] = .string(String(decoding: entry.responseBody, as: UTF8.self))
        }
        var bytes = line.value.compactBytes
        bytes.append(0x0A)
        return bytes
    }
}
