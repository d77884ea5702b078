/// The learnt thresholds as the statistics show them: the busiest contexts', and how many entries
/// have one of their own.
public struct LearntThresholds: Sendable, Equatable {
    public var contexts: [ContextThreshold] = []
    public var entries = EntryThresholdCounts()

    public init(contexts: [ContextThreshold] = [], entries: EntryThresholdCounts = EntryThresholdCounts()) {
        self.contexts = contexts
        self.entries = entries
    }
}

/// One context's learnt threshold, as the statistics show it.
public struct ContextThreshold: Sendable, Equatable {
    /// The first 16 hex digits of the context key.
    public var context: String
    /// Verdicts on this context's semantic candidates, and how many were wrong.
    public var verdicts: Int
    public var wrong: Int
    /// The score a semantic candidate needs; nil when none is served.
    public var threshold: Double?
    /// The false-hit rate of candidates at or above the threshold (all verdicts when none is served).
    public var estimate: WilsonInterval

    /// How many contexts the statistics show.
    static let shown = 10

    static func busiest(in ledger: VerificationLedger) -> [ContextThreshold] {
        ledger.busiestContexts(limit: shown).map { item in
            let threshold = item.bound.threshold
            let estimate = item.bound.interval(atLeast: threshold.isFinite ? threshold : 0)
            return ContextThreshold(
                context: item.context.prefix(16), verdicts: item.bound.verdicts, wrong: item.bound.interval(atLeast: 0).errors,
                threshold: threshold.isFinite ? threshold : nil, estimate: estimate)
        }
    }
}
