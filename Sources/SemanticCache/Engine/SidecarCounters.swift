import Synchronization

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
