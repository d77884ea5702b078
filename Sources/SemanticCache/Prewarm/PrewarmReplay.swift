/// How `--replay` sends records upstream: as ordinary requests through the cache — the sidecar over
/// HTTP, or the pipeline in process — with `Cache-Control: no-cache`, so each is forwarded and its
/// fresh answer stored exactly like live traffic.
///
/// Holds the raw API key to send it; it is never described or logged.
public struct PrewarmReplay: Sendable {
    private let apiKey: String?
    /// `X-Semcache-Namespace` of the replayed requests.
    public let namespace: String?
    /// `X-Semcache-TTL` of the replayed requests.
    public let ttlSeconds: Int?

    public init(apiKey: String?, namespace: String?, ttlSeconds: Int?) {
        self.apiKey = apiKey
        self.namespace = namespace
        self.ttlSeconds = ttlSeconds
    }

    /// The live request for `record`: `POST` to its endpoint, the API key in the header its SDK
    /// uses (so the entry lands in the same partition as ``PrewarmPartition`` computes), and the
    /// namespace, TTL and cache-control headers.
    public func request(for record: PrewarmRecord) -> IncomingRequest {
        var headers: HeaderList = [(name: "content-type", value: "application/json")]
        if let apiKey { headers += PrewarmPartition.credentialHeaders(apiKey: apiKey, for: record.endpoint) }
        if record.endpoint == .anthropicMessages { headers.append((name: "anthropic-version", value: "2023-06-01")) }
        if let namespace { headers.append((name: "x-semcache-namespace", value: namespace)) }
        if let ttlSeconds { headers.append((name: "x-semcache-ttl", value: String(ttlSeconds))) }
        // Skip the lookup: a replay refreshes the answer even when the cache has one.
        headers.append((name: "cache-control", value: "no-cache"))
        return IncomingRequest(method: "POST", uri: record.endpoint.path, headers: headers, body: record.request.compactBytes)
    }

    /// The outcome of a replayed request from the cache's answer: a 2xx miss was forwarded and
    /// stored like live traffic, a hit means the cache already answers it, a bypass that it is not cacheable.
    public static func outcome(status: Int, headers: HeaderList, body: [UInt8], source: PrewarmSource) -> PrewarmOutcome {
        func skipped(_ kind: PrewarmIssueKind, _ reason: String) -> PrewarmOutcome {
            .skipped(PrewarmIssue(source: source, kind: kind, reason: reason))
        }
        guard (200..<300).contains(status) else {
            let message = (try? JSONValue.parse(body))?["error"]?["message"]?.string
            return skipped(.failedAnswer, "replay answered \(status)" + (message.map { ": \($0)" } ?? ""))
        }
        switch headers.first(named: "x-semcache") {
        case "miss": return .replayed
        case "hit-exact", "hit-semantic": return .duplicate
        case "bypass":
            return skipped(.notCacheable, "the cache bypassed it (\(headers.first(named: "cache-status") ?? "no Cache-Status"))")
        default:
            return skipped(.notCacheable, "the answer has no X-Semcache header: is the URL a semcache sidecar?")
        }
    }
}
