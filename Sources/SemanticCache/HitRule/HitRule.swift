/// The semantic hit rule. Interim version: a bare cosine threshold, replaced by the fitted rule
/// (hitrule branch) when it lands.
public struct HitRule: Sendable {
    public static let standard = HitRule()
    public var threshold: Double
    public init(threshold: Double = 0.9) { self.threshold = threshold }
    public func evaluate(query: String, candidate: String, cosine: Float) -> HitDecision {
        let accepted = Double(cosine) >= threshold
        return HitDecision(accepted: accepted, score: Double(cosine), reason: accepted ? "accepted" : "below threshold")
    }
}

/// The rule's verdict on one candidate.
public struct HitDecision: Sendable {
    public var accepted: Bool
    public var score: Double
    public var reason: String
}
