/// A miss kept in memory for the dashboard (the last ``StatsRecorder/recentMissLimit``).
public struct RecentMiss: Sendable, Equatable {
    /// Unix seconds.
    public var time: Double
    public var endpoint: String
    public var model: String
    /// `uri-miss` (not stored yet), `stale` (older than `max-age`) or `request` (`no-cache`).
    public var reason: String
    /// The newest user text cut to 120 characters; nil when there is none or the request said `no-store`.
    public var promptPreview: String?
}
