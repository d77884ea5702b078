/// Whose cache prewarmed entries go into: a namespace and, unless the cache is shared, the API key
/// of the callers who should get hits from them.
///
/// Records never carry credentials, so the key is given separately (`--api-key-env VAR`, or the
/// `X-Semcache-Partition-Key` header of `POST /_semcache/prewarm`). It is hashed exactly as live
/// traffic's credential is (the same whichever header carries it), and only the hash is kept.
public struct PrewarmPartition: Sendable {
    /// The namespace (`X-Semcache-Namespace` of the live requests that should hit).
    public let namespace: String
    /// Whether an API key was given; without one, entries match only callers that send none.
    public let hasCredential: Bool
    private let partition: CachePartition

    /// Hashes `apiKey` at once; the raw key is not kept.
    public init(namespace: String = "", apiKey: String?) {
        self.namespace = namespace
        hasCredential = apiKey != nil
        // Every credential header gives the same partition, so any endpoint's header stands for all.
        let credential = apiKey.flatMap { Forwarding.credential(in: Self.credentialHeaders(apiKey: $0, for: .chatCompletions)) }
        partition = CachePartition(namespace: namespace, credential: credential, shared: false)
    }

    /// The partition of a live request from such a caller, whichever header carries its key;
    /// `shared` as the sidecar's `--shared-cache`.
    public func cachePartition(shared: Bool) -> CachePartition {
        shared ? CachePartition(namespace: namespace, credential: nil, shared: true) : partition
    }

    /// The header a replayed record carries its API key upstream in: `x-api-key` for Anthropic
    /// messages, `Authorization: Bearer` for the OpenAI endpoints, as each API documents it. Every
    /// credential header gives the same partition, so the entry answers callers using either.
    public static func credentialHeaders(apiKey: String, for endpoint: CacheEndpoint) -> HeaderList {
        endpoint == .anthropicMessages ? [(name: "x-api-key", value: apiKey)] : [(name: "authorization", value: "Bearer \(apiKey)")]
    }
}
