/// Whose cache prewarmed entries go into: a namespace and, unless the cache is shared, the API key
/// of the callers who should get hits from them.
///
/// Records never carry credentials, so the key is given separately (`--api-key-env VAR`, or the
/// `X-Semcache-Partition-Key` header of `POST /_semcache/prewarm`). It is hashed exactly as live
/// traffic's credential is — in the header the official SDKs send it in for each endpoint
/// (``credentialHeaders(apiKey:for:)``) — and only the hashes are kept.
public struct PrewarmPartition: Sendable {
    /// The namespace (`X-Semcache-Namespace` of the live requests that should hit).
    public let namespace: String
    /// Whether an API key was given; without one, entries match only callers that send none.
    public let hasCredential: Bool
    private let openAI: CachePartition
    private let anthropic: CachePartition

    /// Hashes `apiKey` at once; the raw key is not kept.
    public init(namespace: String = "", apiKey: String?) {
        self.namespace = namespace
        hasCredential = apiKey != nil
        func partition(_ endpoint: CacheEndpoint) -> CachePartition {
            let credential = apiKey.flatMap { Forwarding.credential(in: Self.credentialHeaders(apiKey: $0, for: endpoint)) }
            return CachePartition(namespace: namespace, credential: credential, shared: false)
        }
        openAI = partition(.chatCompletions)
        anthropic = partition(.anthropicMessages)
    }

    /// The partition of a live request to `endpoint` from such a caller; `shared` as the sidecar's `--shared-cache`.
    public func cachePartition(for endpoint: CacheEndpoint, shared: Bool) -> CachePartition {
        if shared { return CachePartition(namespace: namespace, credential: nil, shared: true) }
        return endpoint == .anthropicMessages ? anthropic : openAI
    }

    /// The headers the official SDKs send an API key in: `x-api-key` for Anthropic messages,
    /// `Authorization: Bearer` for the OpenAI endpoints.
    public static func credentialHeaders(apiKey: String, for endpoint: CacheEndpoint) -> HeaderList {
        endpoint == .anthropicMessages ? [(name: "x-api-key", value: apiKey)] : [(name: "authorization", value: "Bearer \(apiKey)")]
    }
}
