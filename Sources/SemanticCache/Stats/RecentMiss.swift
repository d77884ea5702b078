/// A miss kept in memory for the dashboard (the last ``StatsRecorder/recentMissLimit``).
public struct RecentMiss: Sendable, Equatable {
    /// Unix seconds.
    public var time: Double
    public var endpoint: String
    public var model: String
    /// `uri-miss` (not stored yet), `stale` (older than `max-age`) or `request` (`no-cache`).
    public var reason: String
    /// The status the upstream answered (a 429 or 500 is an upstream error, listed with its
    /// status); nil when it gave none (unreachable, timed out).
    public var upstreamStatus: Int?
    /// The newest user text cut to 120 characters; nil when there is none or the request said `no-store`.
    public var promptPreview: String?
}
