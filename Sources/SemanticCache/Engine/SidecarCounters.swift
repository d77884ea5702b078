import Synchronization

/// Why a cacheable request was not looked up.
public enum BypassReason: String, Sendable, CaseIterable {
    /// Not deterministic (temperature ≠ 0) and `--cache-nondeterministic` is off.
    case nondeterministic
    /// Responses API `background: true`: the upstream queues the response for polling; never cached.
    case background
    /// Responses API `conversation`: the upstream appends to a conversation the key cannot see; never cached.
    case conversation
    /// `X-Semcache-Mode: off`.
    case modeOff = "mode-off"
    /// `Cache-Control: no-cache` together with `no-store`.
    case noCacheNoStore = "no-cache-no-store"
    /// The body is not a request the cache understands (forwarded untouched).
    case unparseable
    /// The store could not be opened or read.
    case storeUnavailable = "store-unavailable"
    /// The sidecar is still loading its index from the store (``SidecarConfiguration/loadIndexInBackground``).
    case loading
}

/// Counters of what the sidecar did since it started. Readable as a snapshot at any time.
public final class SidecarCounters: Sendable {
    /// A copy of every counter.
    public struct Snapshot: Sendable, Equatable {
        public var requests = 0
        public var exactHits = 0
        public var semanticHits = 0
        public var misses = 0
        /// Requests answered by an identical request's upstream call (request coalescing).
        public var coalesced = 0
        public var bypasses: [String: Int] = [:]
        public var passThrough = 0
        public var stored = 0
        /// Entries evicted to stay within `--max-entries`/`--max-bytes`.
        public var evicted = 0
        public var upstreamErrors = 0
        public var storeErrors = 0
        public var embedderErrors = 0
    }

    private let state = Mutex(Snapshot())

    public init() {}

    public func update(_ body: (inout Snapshot) -> Void) { state.withLock { body(&$0) } }

    public func bypass(_ reason: BypassReason) { state.withLock { $0.bypasses[reason.rawValue, default: 0] += 1 } }

    public var snapshot: Snapshot { state.withLock { $0 } }
}
