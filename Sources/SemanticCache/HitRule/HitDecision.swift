/// The hit rule's verdict on one semantic candidate.
public struct HitDecision: Sendable, Equatable {
    /// Whether the stored answer may be served for the query.
    public var accepted: Bool
    /// The adjusted similarity the threshold was compared with: the cosine minus the rule's
    /// penalties (0 when a veto fired).
    public var score: Double
    /// Why: `"accepted"`, `"below threshold"`, or the veto or penalty that decided
    /// (e.g. `"numbers differ: 2019 vs 2020"`, `"word order differs: from/to"`, `"follow-up needs context"`).
    public var reason: String

    public init(accepted: Bool, score: Double, reason: String) {
        self.accepted = accepted
        self.score = score
        self.reason = reason
    }
}
