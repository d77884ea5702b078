/// One member of an RFC 9211 `Cache-Status` response header, describing what semcache did with a request.
///
/// Examples of ``value``:
/// - `semcache; hit; ttl=3600; detail=exact` — answered from an exact match;
/// - `semcache; hit; detail=semantic` — answered from a similar request in the same context;
/// - `semcache; fwd=uri-miss; fwd-status=200; stored` — not in the cache, forwarded, stored;
/// - `semcache; fwd=request; stored` — the caller sent `Cache-Control: no-cache`;
/// - `semcache; fwd=stale` — an entry exists but is older than the caller's `max-age`;
/// - `semcache; fwd=uri-miss; detail=no-store` — forwarded, not stored because the caller asked so;
/// - `semcache; fwd=bypass; detail=nondeterministic` — not cacheable, forwarded without lookup.
///
/// Parameters follow RFC 9211 §2: `hit` (served without contacting the upstream), `fwd` (why the request
/// went upstream), `fwd-status` (the upstream's status code), `ttl` (seconds of freshness left), `stored`
/// (the answer was stored), `collapsed` (the request waited for an identical one in flight), `key` and
/// `detail` (implementation-specific).
public struct CacheStatusHeader: Sendable, Equatable, CustomStringConvertible {
    /// Why a request was forwarded (RFC 9211 §2.2 `fwd` values).
    public enum ForwardReason: String, Sendable, CaseIterable {
        /// The cache was configured not to handle this request (not cacheable, mode off, not analysable).
        case bypass
        /// The request method required forwarding.
        case method
        /// No stored response matched the request.
        case uriMiss = "uri-miss"
        /// A stored response matched the request, but its variant did not.
        case varyMiss = "vary-miss"
        /// No stored response could satisfy the request (for caches that cannot tell the cases above apart).
        case miss
        /// A usable response was stored, but the request's semantics (`no-cache`) required forwarding.
        case request
        /// A matching response was stored but too old (for example, older than the request's `max-age`).
        case stale
        /// A stored response covered only part of the request.
        case partial
    }

    /// What semcache did: served from the cache, or forwarded upstream.
    public enum Outcome: Sendable, Equatable {
        case hit
        case forwarded(ForwardReason)
    }

    /// The cache's name, the list member's item (`semcache`).
    public var cacheName: String
    public var outcome: Outcome
    /// `fwd-status`: the upstream's HTTP status, for forwarded requests.
    public var forwardStatus: Int?
    /// `ttl`: seconds until the entry used (or stored) expires; negative when already expired.
    public var ttl: Int?
    /// `stored`: the forwarded answer was stored in the cache.
    public var stored: Bool
    /// `collapsed`: the request was answered by an identical request already in flight.
    public var collapsed: Bool
    /// `key`: an implementation-specific key (for example a prefix of the entry's key).
    public var key: String?
    /// `detail`: an implementation-specific word such as `exact`, `semantic`, `nondeterministic`, `no-store`.
    public var detail: String?

    public init(
        cacheName: String = "semcache", outcome: Outcome, forwardStatus: Int? = nil, ttl: Int? = nil,
        stored: Bool = false, collapsed: Bool = false, key: String? = nil, detail: String? = nil
    ) {
        self.cacheName = cacheName
        self.outcome = outcome
        self.forwardStatus = forwardStatus
        self.ttl = ttl
        self.stored = stored
        self.collapsed = collapsed
        self.key = key
        self.detail = detail
    }

    /// The header field name, `Cache-Status`.
    public static let name = "Cache-Status"

    /// The header value, an RFC 8941 structured-field list member.
    public var value: String {
        var value = Self.item(cacheName)
        switch outcome {
        case .hit: value += "; hit"
        case .forwarded(let reason): value += "; fwd=" + reason.rawValue
        }
        if let forwardStatus { value += "; fwd-status=" + String(forwardStatus) }
        if let ttl { value += "; ttl=" + String(ttl) }
        if stored { value += "; stored" }
        if collapsed { value += "; collapsed" }
        if let key { value += "; key=" + Self.quoted(key) }
        if let detail { value += "; detail=" + Self.item(detail) }
        return value
    }

    public var description: String { value }

    /// A bare token when `text` is a valid sf-token, otherwise an sf-string.
    private static func item(_ text: String) -> String {
        let bytes = text.utf8
        guard let first = bytes.first, isAlpha(first) || first == UInt8(ascii: "*"),
              bytes.dropFirst().allSatisfy({ isTokenCharacter($0) })
        else { return quoted(text) }
        return text
    }

    /// An RFC 8941 sf-string: printable ASCII only, with `"` and `\` escaped; other characters become `?`.
    private static func quoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"", "\\": output += "\\\(scalar)"
            case " "..."~": output.unicodeScalars.append(scalar)
            default: output += "?"
            }
        }
        return output + "\""
    }

    private static let tokenPunctuation = Array("!#$%&'*+-.^_`|~:/".utf8)

    private static func isAlpha(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    /// RFC 9110 tchar plus ":" and "/", as RFC 8941 sf-token allows.
    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        isAlpha(byte) || (byte >= 0x30 && byte <= 0x39) || tokenPunctuation.contains(byte)
    }
}
