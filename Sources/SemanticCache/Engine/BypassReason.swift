/// Why a cacheable request was not looked up.
public enum BypassReason: String, Sendable, CaseIterable {
    /// Not deterministic (temperature ≠ 0) and `--cache-nondeterministic` is off.
    case nondeterministic
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
