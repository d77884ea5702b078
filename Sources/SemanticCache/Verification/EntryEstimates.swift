/// Each entry's own verdicts, and — once it has as many as meeting the bound takes at the least
/// (``ScoreVerdicts/fewestMeeting(_:)``: 73 for 5 %, 381 for 1 %) — the threshold they give it,
/// by the same rule as a context's, which then replaces its context's: an entry that is always
/// right is served as low as its own verdicts vouch for, and one whose verdicts meet the bound at
/// no score is not served at all.
///
/// Bounded: at most `limit` entries are tracked; beyond that the one whose last verdict is oldest
/// leaves (and, should it come back, counts its verdicts anew).
struct EntryEstimates: Sendable {
    struct Estimate: Sendable {
        var scores = ScoreVerdicts()
        /// Nil while it has too few verdicts of its own; infinite when they meet the bound at no score.
        var threshold: Double?
    }

    let maxFalseHitRate: Double
    let floor: Double
    let limit: Int
    /// Verdicts an entry needs before its own threshold replaces its context's.
    let enough: Int
    private var estimates = RecencyList<Int64, Estimate>()
    /// Kept up to date as verdicts come, so reading them costs nothing.
    private(set) var counts = EntryThresholdCounts()

    init(maxFalseHitRate: Double, floor: Double, limit: Int) {
        self.maxFalseHitRate = maxFalseHitRate
        self.floor = floor
        self.limit = max(1, limit)
        enough = ScoreVerdicts.fewestMeeting(maxFalseHitRate)
    }

    /// `entry`'s own threshold, when it has enough verdicts (infinite: it is not served).
    func threshold(entry: Int64) -> Double? {
        estimates.peek(entry)?.threshold
    }

    mutating func record(score: Double, wrong: Bool, entry: Int64) {
        var estimate = estimates.peek(entry) ?? Estimate()
        count(estimate, -1)
        estimate.scores.record(score: score, wrong: wrong)
        if estimate.scores.verdicts >= enough {
            estimate.threshold = estimate.scores.lowestThreshold(meeting: maxFalseHitRate, from: floor) ?? .infinity
        }
        count(estimate, 1)
        estimates.set(entry, estimate)
        if estimates.count > limit, let evicted = estimates.removeOldest() { count(evicted.value, -1) }
        counts.tracked = estimates.count
    }

    /// Forgets `entry`'s verdicts (its answer was replaced).
    mutating func forget(entry: Int64) {
        if let removed = estimates.remove(entry) { count(removed, -1) }
        counts.tracked = estimates.count
    }

    private mutating func count(_ estimate: Estimate, _ delta: Int) {
        guard let threshold = estimate.threshold else { return }
        if threshold.isFinite { counts.ownThreshold += delta } else { counts.notServed += delta }
    }
}

/// How many entries have verdicts of their own counted, and how many have enough for their own threshold.
public struct EntryThresholdCounts: Sendable, Equatable {
    /// Entries whose verdicts are counted (at most the ledger's `maxEntryEstimates`).
    public var tracked = 0
    /// Entries served at a threshold of their own, which replaced their context's.
    public var ownThreshold = 0
    /// Entries with enough verdicts that meet the bound at no score: not served.
    public var notServed = 0

    public init(tracked: Int = 0, ownThreshold: Int = 0, notServed: Int = 0) {
        self.tracked = tracked
        self.ownThreshold = ownThreshold
        self.notServed = notServed
    }
}
