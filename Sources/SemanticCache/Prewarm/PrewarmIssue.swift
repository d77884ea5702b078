/// What a reader produces: a record, or an issue explaining why a line or entry gave none.
public enum PrewarmItem: Sendable {
    case record(PrewarmRecord)
    /// An exported entry, restored as it is (`semcache-export`).
    case entry(ExportedEntry)
    case issue(PrewarmIssue)
}

/// A line or entry that yields no record, or a record that was not stored, and why.
///
/// Readers report `malformed`, `notCacheable` (the endpoint is not one semcache caches) and `ignored`;
/// ingesting reports the others. A malformed line never stops reading.
public struct PrewarmIssue: Error, Sendable, CustomStringConvertible {
    public var source: PrewarmSource
    public var kind: PrewarmIssueKind
    /// What is wrong, e.g. `not JSON: unexpected '}'; expected a JSON value (at byte 12)`.
    public var reason: String

    public init(source: PrewarmSource, kind: PrewarmIssueKind, reason: String) {
        self.source = source
        self.kind = kind
        self.reason = reason
    }

    /// `file:line: reason`.
    public var description: String { "\(source): \(reason)" }
}

/// Why a line, entry or record was skipped; the summary counts each.
public enum PrewarmIssueKind: String, Sendable, CaseIterable {
    /// The line or entry cannot be read: not JSON, a required member missing or of the wrong type.
    case malformed
    /// The endpoint is not cached, or the request is not cacheable (e.g. it asks for randomness).
    case notCacheable = "not cacheable"
    /// The recorded answer is not 2xx.
    case failedAnswer = "non-2xx"
    /// The recorded answer cannot be stored: a stream that did not end normally, too large, not JSON.
    case notStorable = "not storable"
    /// The record has no answer and was not replayed (no upstream to replay it with, or the run was interrupted).
    case noAnswer = "no answer"
    /// A HAR entry that is not a POST to a cached endpoint (page loads, images, other APIs).
    case ignored
    /// An exported entry whose lifetime is over.
    case expired
    /// An exported entry from a cache partitioned the other way (`--shared-cache` or not): its keys would never match here.
    case otherPartitioning = "other partitioning"
}
