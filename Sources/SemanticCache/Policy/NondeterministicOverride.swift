/// A per-request override of the cacheability rule (`X-Semcache-Nondeterministic`).
public enum NondeterministicOverride: String, Sendable, CaseIterable {
    /// Cache the request even though it asks for randomness (as `--cache-nondeterministic` does for every request).
    case cache
    /// Never cache the request, even when the rule would (for apps that rely on the API's default
    /// temperature for variety); the request is forwarded as a `nondeterministic` bypass.
    case bypass
}
