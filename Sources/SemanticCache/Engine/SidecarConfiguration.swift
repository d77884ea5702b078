import Embedding
import Store
import Upstream

/// Everything the cache pipeline needs to know about how it was started. Flags and `SEMCACHE_*`
/// environment variables map onto this; every default is documented in the README.
public struct SidecarConfiguration: Sendable {
    /// Where misses go, e.g. `https://api.openai.com` or `https://api.openai.com/v1` (the request
    /// path is appended; see ``upstreamURL(for:)``).
    public var upstreamURL: String
    /// The SQLite file (unless ``storeOpener`` opens another store).
    public var databasePath: String
    /// Opens the store instead of the SQLite file at ``databasePath``: how `semcache serve --db
    /// postgres://…` shares one store across a fleet. Nil: SQLite.
    public var storeOpener: (@Sendable () async throws(StoreError) -> any CacheStoring)?
    /// How long a stored entry lives unless `X-Semcache-TTL` says otherwise. Default 7 days.
    public var defaultTTL: Duration
    /// Share entries between callers with different credentials (off: partition by a hash of the
    /// credential). The store records the mode; a store whose entries were made under the other
    /// mode is refused at start (see ``Partitioning``) unless ``followStoredPartitioning``.
    public var sharedCache: Bool
    /// Take the store's recorded partitioning instead of ``sharedCache`` when they differ
    /// (`semcache prewarm --db` without `--shared-cache`).
    public var followStoredPartitioning = false
    /// Cache requests that ask for randomness (``SamplingPolicy``) too.
    public var cacheNondeterministic: Bool
    /// Largest request body the cache parses, looks up and stores (`--max-body-bytes`); a larger
    /// body to a cached endpoint is forwarded uncached (bypass `too-large`). Default 10 MiB.
    public var maxRequestBodyBytes: Int
    /// Largest request body accepted at all (`--max-request-bytes`); larger ones get 413 and the
    /// connection closes. Default 100 MiB.
    public var maxRequestBytes = 100 << 20
    /// Largest response kept for storing; larger ones are passed through but not stored. Default 8 MiB.
    public var maxStoredResponseBytes: Int
    /// Embeds prompts for semantic hits; nil: exact hits only.
    public var embedder: (any Embedder)?
    /// The hit rule's threshold unless `X-Semcache-Threshold` says otherwise; nil: the rule's default.
    public var semanticThreshold: Double?
    /// How many nearest stored prompts the hit rule examines per request. Default 4.
    public var semanticCandidates: Int
    /// Memory for recently hit entries, answered without a store read. Default 64 MiB.
    public var hotEntryBytes: Int = 64 << 20
    /// Requests answered by a semantic hit that are remembered, so the same request again is
    /// answered without embedding and search (least recently used first out; about 300 bytes
    /// each, 20 MiB at the default). 0 remembers none. Default 65,536.
    public var rememberedParaphrases = 65_536
    /// Prices per model for "money saved"; `--prices FILE` replaces the built-in table.
    public var prices: PriceTable = .builtIn
    /// Most entries and bytes the store keeps; the least recently hit are evicted beyond. Default unlimited.
    public var eviction = EvictionBudget()
    /// How often expired entries are removed in the background (the budget is checked at least once a second). Default 60 s.
    public var maintenanceInterval: Duration = .seconds(60)
    /// Start anyway when the store cannot be opened, forwarding every request uncached (bypass
    /// `store-unavailable`), instead of throwing the reason. Off: `semcache serve` and `prewarm`
    /// stop at start-up with the reason; store errors after the start always fail open.
    public var startWithoutStore = false
    /// Answer requests while the index loads at start (they go upstream uncached, bypass
    /// `loading`, until it is loaded) instead of waiting for it. `semcache serve` turns it on.
    public var loadIndexInBackground = false
    /// Awaited before a background index load starts (a seam for tests that need to see the
    /// loading state; `nil` in the sidecar).
    var beforeBackgroundIndexLoad: (@Sendable () async -> Void)?
    /// Connect, first-byte and idle timeouts for upstream requests. Defaults 10 s, 120 s, 120 s.
    public var upstreamTimeouts = UpstreamTimeouts()
    /// Upstream transfers running at once; more wait in a queue. Default 256.
    public var maxUpstreamTransfers = 256
    /// How long a stop waits for requests in flight before cutting them. Default 10 s.
    public var shutdownTimeout: Duration = .seconds(10)
    /// Where completed requests to cached endpoints are logged (`serve --log-file`); nil: nowhere.
    /// The pipeline closes it on shutdown.
    public var trafficLog: TrafficLogWriter?
    /// Checking hits against the upstream in the background, and the false-hit bound. Default off.
    public var verification = VerificationSettings()

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

extension SidecarConfiguration {
    /// The URL a request for `uri` (path and query) is forwarded to: ``upstreamURL`` and the path,
    /// without doubling a `/v1` the base already ends with.
    public func upstreamURL(for uri: String) -> String {
        Forwarding.upstreamURL(base: upstreamURL, uri: uri)
    }

    /// Opens the configured store: ``storeOpener``'s, or the SQLite file at ``databasePath``.
    func openStore() async throws(StoreError) -> any CacheStoring {
        if let storeOpener { return try await storeOpener() }
        return try await CacheStore.open(path: databasePath)
    }

    /// The upstream client's settings: these timeouts and transfer limit.
    public var upstreamClientConfiguration: UpstreamClient.Configuration {
        UpstreamClient.Configuration(timeouts: upstreamTimeouts, maxConcurrentTransfers: maxUpstreamTransfers)
    }
}
