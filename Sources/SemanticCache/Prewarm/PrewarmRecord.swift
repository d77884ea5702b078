/// One request read from a log, with its recorded answer when the log has one.
///
/// Ingesting a record is what the live pipeline does for a miss: analyse ``request`` with
/// ``CacheRequest/analyse(endpoint:json:partition:)``, apply the cacheability rules, then store
/// ``response`` exactly like an upstream answer (or, without a response, send the request upstream).
/// Records never carry headers, so they never carry credentials.
public struct PrewarmRecord: Sendable {
    /// The cached endpoint the request was sent to.
    public var endpoint: CacheEndpoint
    /// The request body.
    public var request: JSONValue
    /// The answer the log recorded, or `nil` when it has none (the record can only be replayed).
    public var response: RecordedAnswer?
    /// Where the record was read, for messages.
    public var source: PrewarmSource

    public init(endpoint: CacheEndpoint, request: JSONValue, response: RecordedAnswer?, source: PrewarmSource) {
        self.endpoint = endpoint
        self.request = request
        self.response = response
        self.source = source
    }
}

/// An upstream answer as a log recorded it.
public struct RecordedAnswer: Sendable {
    /// The HTTP status.
    public var status: Int
    /// The body: JSON text, or the server-sent-events transcript when ``isStream``.
    public var body: [UInt8]
    /// Whether ``body`` is an SSE transcript (`text/event-stream`) rather than a JSON document.
    public var isStream: Bool
    /// The `usage` object the log recorded (OpenAI or Anthropic names), when it has one. Informational:
    /// storing computes the token counts from ``body`` as it does for live answers.
    public var usage: JSONValue?
    /// How long the upstream took to answer, when the log says.
    public var upstreamMilliseconds: Double?
    /// When the request was made (Unix time, seconds), when the log says.
    public var timestamp: Double?

    public init(
        status: Int, body: [UInt8], isStream: Bool, usage: JSONValue? = nil,
        upstreamMilliseconds: Double? = nil, timestamp: Double? = nil
    ) {
        self.status = status
        self.body = body
        self.isStream = isStream
        self.usage = usage
        self.upstreamMilliseconds = upstreamMilliseconds
        self.timestamp = timestamp
    }

    /// Whether the status is 2xx: only such answers may be stored.
    public var isSuccess: Bool { (200..<300).contains(status) }
}

/// Where a record or an issue was read: the file, and the 1-based line (JSONL formats, and the line
/// where a HAR entry starts) and HAR entry number.
public struct PrewarmSource: Sendable, Hashable, CustomStringConvertible {
    /// The input's name: the path as given, or the name given to in-memory input.
    public var file: String
    /// 1-based line number.
    public var line: Int?
    /// 1-based entry number in a HAR file's `log.entries`.
    public var entry: Int?

    public init(file: String, line: Int? = nil, entry: Int? = nil) {
        self.file = file
        self.line = line
        self.entry = entry
    }

    /// `file:line`, `file:line (entry 3)` or `file (entry 3)`.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if let entry { text += " (entry \(entry))" }
        return text
    }
}
