/// Reads one format from one or more inputs, record by record.
protocol PrewarmFormatReader {
    /// The next record or issue, or `nil` when every input is read.
    mutating func next() throws(PrewarmReadError) -> PrewarmItem?
    /// Bytes read so far (for progress).
    var bytesRead: Int64 { get }
}

extension JSONValue {
    /// A number, or an ISO 8601 string, as Unix time in seconds.
    var unixTime: Double? {
        if let seconds = double { return seconds }
        return string.flatMap(ISO8601Timestamp.parse)
    }
}

/// Shared helpers for building issues while reading one line or entry.
struct IssueFactory {
    let source: PrewarmSource

    func malformed(_ reason: String) -> PrewarmItem {
        .issue(PrewarmIssue(source: source, kind: .malformed, reason: reason))
    }

    func notCached(_ path: String) -> PrewarmItem {
        .issue(PrewarmIssue(source: source, kind: .notCacheable, reason: RecordedEndpoint.notCachedReason(path)))
    }

    /// The member `name` as a JSON object, or the issue to report.
    func requestObject(_ value: JSONValue?, name: String) -> Result<JSONValue, PrewarmIssue> {
        switch value {
        case .object(let members)?: return .success(.object(members))
        case nil, .null?: return .failure(issue(.malformed, "no \(name)"))
        default: return .failure(issue(.malformed, "\(name) is not a JSON object"))
        }
    }

    func issue(_ kind: PrewarmIssueKind, _ reason: String) -> PrewarmIssue {
        PrewarmIssue(source: source, kind: kind, reason: reason)
    }
}
