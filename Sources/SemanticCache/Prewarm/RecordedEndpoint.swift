/// Which cached endpoint a logged request went to.
enum RecordedEndpoint {
    /// The endpoint whose path ends `path` (after removing any scheme, host, query and fragment), so
    /// `https://gateway.example.com/openai/v1/chat/completions?x=1` is chat completions; `nil` otherwise.
    static func match(pathOrURL: String) -> CacheEndpoint? {
        let path = path(of: pathOrURL)
        return CacheEndpoint.allCases.first { path.hasSuffix($0.path) }
    }

    /// The path of a URL or path, without scheme, host, query and fragment (a query may hold keys, e.g. `?key=`).
    static func path(of url: String) -> String {
        var path = Substring(url)
        if let schemeEnd = path.range(of: "://") {
            let afterScheme = path[schemeEnd.upperBound...]
            path = afterScheme.firstIndex(of: "/").map { afterScheme[$0...] } ?? "/"
        }
        if let end = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<end] }
        return String(path)
    }

    /// The endpoint from the request's shape when the log does not name it: `messages` → Anthropic
    /// messages when the answer is an Anthropic one (`"type": "message"`, or a stream with
    /// `message_start`), chat completions otherwise; `prompt` → completions; `input` → the Responses API
    /// when the answer is a response (`"object": "response"`, or a stream with `response.created`) or,
    /// without an answer, when the input holds items (objects) or the request sets `instructions`;
    /// embeddings otherwise.
    static func infer(request: JSONValue, answer: RecordedAnswer?) -> CacheEndpoint? {
        if request["messages"] != nil {
            return answer.map { isAnswer($0, streamMarker: "message_start", field: "type", value: "message") } == true ? .anthropicMessages : .chatCompletions
        }
        if request["prompt"] != nil { return .completions }
        if let input = request["input"] {
            let isResponse = answer.map { isAnswer($0, streamMarker: "response.created", field: "object", value: "response") }
                ?? (request["instructions"] != nil || input.array?.contains { $0.object != nil } == true)
            return isResponse ? .responses : .embeddings
        }
        return nil
    }

    /// Whether a stream answer names `streamMarker` in its first events, or a JSON answer's `field` is `value`.
    private static func isAnswer(_ answer: RecordedAnswer, streamMarker: String, field: String, value: String) -> Bool {
        if answer.isStream {
            return answer.body.prefix(4096).containsSubsequence(Array(streamMarker.utf8))
        }
        return (try? JSONValue.parse(answer.body))?[field]?.string == value
    }

    /// Reason text for an endpoint semcache does not cache.
    static func notCachedReason(_ path: String) -> String {
        "endpoint \(path) is not cached (cached: \(CacheEndpoint.allCases.map(\.path).joined(separator: ", ")))"
    }
}

extension Collection where Element == UInt8 {
    /// Whether `needle` occurs in the bytes.
    func containsSubsequence(_ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        var index = startIndex
        while let candidate = self[index...].firstIndex(of: first) {
            if self[candidate...].starts(with: needle) { return true }
            index = self.index(after: candidate)
        }
        return false
    }
}
