/// Reads lines of the sidecar's own traffic log (see ``TrafficLogLine`` for the format). Lines of
/// semantic hits are skipped as not cacheable: their answer was stored for another prompt.
enum TrafficLogLineParser {
    static func item(from json: JSONValue, source: PrewarmSource) -> PrewarmItem {
        let issues = IssueFactory(source: source)
        guard case .object = json else { return issues.malformed("the line is not a JSON object") }
        guard let path = json[TrafficLogLine.Field.endpoint]?.string else { return issues.malformed("no endpoint") }
        guard let endpoint = RecordedEndpoint.match(pathOrURL: path) else { return issues.notCached(path) }
        let request: JSONValue
        switch issues.requestObject(json[TrafficLogLine.Field.request], name: "request") {
        case .success(let value): request = value
        case .failure(let issue): return .issue(issue)
        }
        guard let status = json[TrafficLogLine.Field.status]?.int else { return issues.malformed("no integer status") }
        if json[TrafficLogLine.Field.cache]?.string == "hit-semantic" {
            // The answer was stored for a similar prompt; storing it as this prompt's own answer
            // would turn one semantic judgement into an exact entry.
            return .issue(issues.issue(.notCacheable, "a semantic hit: its answer belongs to another prompt"))
        }
        let body: [UInt8]
        let isStream: Bool
        if let transcript = json[TrafficLogLine.Field.responseSSE]?.string {
            (body, isStream) = (Array(transcript.utf8), true)
        } else if let response = json[TrafficLogLine.Field.response], !response.isNull {
            (body, isStream) = (response.compactBytes, false)
        } else if let text = json[TrafficLogLine.Field.responseText]?.string {
            (body, isStream) = (Array(text.utf8), false)
        } else {
            return .record(PrewarmRecord(endpoint: endpoint, request: request, response: nil, source: source))
        }
        let answer = RecordedAnswer(
            status: status, body: body, isStream: isStream,
            usage: json[TrafficLogLine.Field.usage],
            upstreamMilliseconds: json[TrafficLogLine.Field.upstreamMilliseconds]?.double,
            timestamp: json[TrafficLogLine.Field.time]?.unixTime)
        return .record(PrewarmRecord(endpoint: endpoint, request: request, response: answer, source: source))
    }
}
