extension PrewarmRecord {
    /// The record as one line of the `pairs` format (with `endpoint`, `status` and `upstream_ms`
    /// written out, so nothing is inferred when it is read back), ending in `\n`: how
    /// `semcache prewarm --url` sends parsed records to `POST /_semcache/prewarm?format=pairs`.
    ///
    /// Fails, with the issue to report, for an answer `pairs` cannot carry: a non-stream body that
    /// is not a JSON object (it could never be stored anyway).
    public func pairsLine() -> Result<[UInt8], PrewarmIssue> {
        var line = JSONObjectBuilder()
        line["endpoint"] = .string(endpoint.path)
        line["request"] = request
        if let response {
            line["status"] = .number(JSONNumber(response.status))
            if let milliseconds = response.upstreamMilliseconds { line["upstream_ms"] = JSONNumber(milliseconds).map(JSONValue.number) }
            if response.isStream {
                line["response"] = .string(String(decoding: response.body, as: UTF8.self))
            } else if let json = try? JSONValue.parse(response.body), json.object != nil {
                line["response"] = json
            } else {
                let kind: PrewarmIssueKind = response.isSuccess ? .notStorable : .failedAnswer
                let reason = response.isSuccess ? NotStoredReason.notJSON.description : "the recorded answer has status \(response.status)"
                return .failure(PrewarmIssue(source: source, kind: kind, reason: reason))
            }
        }
        var bytes = JSONValue.object(line.members).compactBytes
        bytes.append(0x0A)
        return .success(bytes)
    }
}
