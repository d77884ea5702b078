/// How a request may be answered from the cache (`X-Semcache-Mode`).
public enum CacheMode: String, Sendable, CaseIterable {
    /// Exact hits only: the canonical request must match a stored one.
    case exact
    /// Exact hits first, then semantic hits within the same context.
    case semantic
    /// No lookup and no store: the request goes upstream as if semcache were not there.
    case off
}
