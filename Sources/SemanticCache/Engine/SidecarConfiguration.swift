import Embedding

/// Everything the cache pipeline needs to know about how it was started. Flags and `SEMCACHE_*`
/// environment variables map onto this; every default is documented in the README.
public struct SidecarConfiguration: Sendable {
    /// Where misses go, e.g. `https://api.openai.com` (the request path is appended).
    public var upstreamURL: String
    /// The SQLite file.
    public var databasePath: String
    /// How long a stored entry lives unless `X-Semcache-TTL` says otherwise. Default 7 days.
    public var defaultTTL: Duration
    /// Share entries between callers with different credentials (off: partition by a hash of the credential).
    public var sharedCache: Bool
    /// Cache requests that are not deterministic (temperature ≠ 0) too.
    public var cacheNondeterministic: Bool
    /// Largest request body accepted; larger ones get 413. Default 10 MiB.
    public var maxRequestBodyBytes: Int
    /// Largest response kept for storing; larger ones are passed through but not stored. Default 8 MiB.
    public var maxStoredResponseBytes: Int
    /// Embeds prompts for semantic hits; nil: exact hits only.
    public var embedder: (any Embedder)?
    /// The hit rule's threshold unless `X-Semcache-Threshold` says otherwise; nil: the rule's default.
    public var semanticThreshold: Double?
    /// How many nearest stored prompts the hit rule examines per request. Default 4.
    public var semanticCandidates: Int
    /// Where completed requests to cached endpoints are logged (`serve --log-file`); nil: nowhere.
    /// The pipeline closes it on shutdown.
    public var trafficLog: TrafficLogWriter?

    public init(
        upstreamURL: String,
        databasePath: String = "semcache.db",
        defaultTTL: Duration = .seconds(7 * 24 * 3600),
        sharedCache: Bool = false,
        cacheNondeterministic: Bool = false,
        maxRequestBodyBytes: Int = 10 << 20,
        maxStoredResponseBytes: Int = 8 << 20,
        embedder: (any Embedder)? = nil,
        semanticThreshold: Double? = nil,
        semanticCandidates: Int = 4
    ) {
        self.upstreamURL = upstreamURL
        self.databasePath = databasePath
        self.defaultTTL = defaultTTL
        self.sharedCache = sharedCache
        self.cacheNondeterministic = cacheNondeterministic
        self.maxRequestBodyBytes = maxRequestBodyBytes
        self.maxStoredResponseBytes = maxStoredResponseBytes
        self.embedder = embedder
        self.semanticThreshold = semanticThreshold
        self.semanticCandidates = semanticCandidates
    }
}
