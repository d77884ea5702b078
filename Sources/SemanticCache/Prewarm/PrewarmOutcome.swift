/// What became of one prewarm record.
public enum PrewarmOutcome: Sendable {
    /// Stored as a new entry (in a dry run: would be).
    case stored
    /// An entry with the same exact key is already stored (or came earlier in the same batch).
    case duplicate
    /// Sent upstream (through the cache, like live traffic) and answered with a 2xx; the answer is
    /// stored by the same rules as a live miss's.
    case replayed
    /// Not stored, and why.
    case skipped(PrewarmIssue)
}

/// What one batch of records gave: counts, and an issue for every skipped record.
public struct PrewarmBatchResult: Sendable {
    public var stored = 0
    public var duplicates = 0
    public var replayed = 0
    public var issues: [PrewarmIssue] = []

    public init() {}

    /// Tallies `outcomes`.
    public init(_ outcomes: some Sequence<PrewarmOutcome>) {
        for outcome in outcomes { add(outcome) }
    }

    public mutating func add(_ outcome: PrewarmOutcome) {
        switch outcome {
        case .stored: stored += 1
        case .duplicate: duplicates += 1
        case .replayed: replayed += 1
        case .skipped(let issue): issues.append(issue)
        }
    }
}

extension PrewarmSummary {
    /// Adds a batch's counts and skips.
    public mutating func add(_ result: PrewarmBatchResult) {
        stored += result.stored
        duplicates += result.duplicates
        replayed += result.replayed
        for issue in result.issues { skip(issue) }
    }
}
