/// How the sidecar checks its own hits (`semcache serve --verify-*`, `--max-false-hit-rate`).
public struct VerificationSettings: Sendable, Equatable {
    /// Share of semantic hits whose request is also sent upstream, after the hit was answered, to
    /// compare the fresh answer with the served one (0 … 1).
    public var semanticRate: Double
    /// Share of exact hits checked the same way (a stale entry is replaced by the fresh answer).
    public var exactRate: Double
    /// At most this many verification calls upstream per minute; samples beyond it are skipped (and counted).
    public var budgetPerMinute: Int
    /// When set, the semantic threshold of each context is the lowest one whose false-hit rate's 95 %
    /// upper bound, as the verdicts estimate it, is at most this (``FalseHitBound``).
    public var maxFalseHitRate: Double?
    /// How answers are compared.
    public var comparator: AnswerComparator

    public init(semanticRate: Double = 0, exactRate: Double = 0, budgetPerMinute: Int = 30, maxFalseHitRate: Double? = nil,
                comparator: AnswerComparator = .standard) {
        self.semanticRate = semanticRate
        self.exactRate = exactRate
        self.budgetPerMinute = budgetPerMinute
        self.maxFalseHitRate = maxFalseHitRate
        self.comparator = comparator
    }

    /// Whether anything is verified: a sampling rate, or a bound (which learns from near misses).
    public var isEnabled: Bool { semanticRate > 0 || exactRate > 0 || maxFalseHitRate != nil }
}
