/// An invalid value in one of semcache's own request headers. The server answers 400 with this message,
/// because silently ignoring a caller's explicit instruction could serve an answer the caller ruled out.
public struct DirectiveError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The header name as semcache spells it (for example `X-Semcache-Threshold`).
    public let header: String
    /// The value received.
    public let value: String
    private let allowed: String

    init(header: String, value: String, allowed: String) {
        self.header = header
        self.value = value
        self.allowed = allowed
    }

    public var description: String {
        "invalid \(header) header value '\(value)': allowed are \(allowed)"
    }
}
