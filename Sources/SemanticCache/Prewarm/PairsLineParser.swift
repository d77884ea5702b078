/// Reads lines of generic JSONL, one `{"request": {...}, "response": {...}}` a line.
///
/// - `request` (required): the request body object.
/// - `response`: the answer — a JSON object, or a string holding an SSE transcript; missing or `null`
///   means the record has no answer (it can only be replayed).
/// - `endpoint` (optional): a path such as `/v1/messages` (any prefix before it is allowed). Without it the
///   request's shape decides: `input` → embeddings, `prompt` → completions, `messages` → Anthropic messages
///   when the answer is an Anthropic one (`"type": "message"`, or a stream with `message_start`), chat
///   completions otherwise.
/// - `status` (optional): the HTTP status, 200 by default — except that a JSON answer with a top-level
///   `error` member and no `status` counts as failed (500), so an error is never stored as an answer.
/// - `timestamp` (optional): Unix seconds or ISO 8601.
/// - `upstream_ms` (optional): how long the upstream took, in milliseconds.
enum PairsLineParser {
    static func item(from json: JSONValue, source: PrewarmSource) -> PrewarmItem {
        let issues = IssueFactory(source: source)
        guard case .object = json else { return issues.malformed("the line is not a JSON object") }
        let request: JSONValue
        switch issues.requestObject(json["request"], name: "request") {
        case .success(let value): request = value
        case .failure(let issue): return .issue(issue)
        }
        let timestamp = json["timestamp"]?.unixTime
        let upstreamMilliseconds = json["upstream_ms"]?.double
        var answer: RecordedAnswer?
        switch json["response"] {
        case nil, .null?:
            answer = nil
        case .string(let transcript)?:
            answer = RecordedAnswer(status: json["status"]?.int ?? 200, body: Array(transcript.utf8), isStream: true,
                upstreamMilliseconds: upstreamMilliseconds, timestamp: timestamp)
        case .object(let members)?:
            let response = JSONValue.object(members)
            let defaultStatus = response["error"] == nil ? 200 : 500
            answer = RecordedAnswer(
                status: json["status"]?.int ?? defaultStatus, body: response.compactBytes, isStream: false,
                usage: response["usage"], upstreamMilliseconds: upstreamMilliseconds, timestamp: timestamp)
        default:
            return issues.malformed("response is neither a JSON object nor an SSE transcript string")
        }
        if let status = json["status"], status.int == nil { return issues.malformed("status is not an integer") }
        let endpoint: CacheEndpoint
        if let path = json["endpoint"] {
            guard let path = path.string else { return issues.malformed("endpoint is not a string") }
            guard let matched = RecordedEndpoint.match(pathOrURL: path) else { return issues.notCached(path) }
            endpoint = matched
        } else {
            guard let inferred = RecordedEndpoint.infer(request: request, answer: answer) else {
                return issues.malformed("cannot tell the endpoint: the request has no messages, prompt or input; add \"endpoint\"")
            }
            endpoint = inferred
        }
        return .record(PrewarmRecord(endpoint: endpoint, request: request, response: answer, source: source))
    }
}
