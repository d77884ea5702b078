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

    /// The endpoint from the request's shape when the log does not name it: `input` → embeddings,
    /// `prompt` → completions, `messages` → Anthropic messages when the answer is an Anthropic one
    /// (`"type": "message"`, or a stream with `message_start`), chat completions otherwise.
    static func infer(request: JSONValue, answer: RecordedAnswer?) -> CacheEndpoint? {
        if request["messages"] != nil {
            return answer.map(isAnthropic) == true ? .anthropicMessages : .chatCompletions
        }
        if request["prompt"] != nil { return .completions }
        if request["input"] != nil { return .embeddings }
        return nil
    }

    private static func isAnthropic(_ answer: RecordedAnswer) -> Bool {
        if answer.isStream {
            return answer.body.prefix(4096).containsSubsequence(Array("message_start".utf8))
        }
        return (try? JSONValue.parse(answer.body))?["type"]?.string == "message"
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
