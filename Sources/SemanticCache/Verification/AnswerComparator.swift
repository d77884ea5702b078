/// Says whether two answers to the same deterministic request agree: the answer a hit served and
/// the one the upstream gives now.
///
/// In order: the same text and tool calls agree; different tool calls (by name, and by arguments
/// compared as JSON values) disagree; prose disagrees when the hit rule's own checks find other
/// numbers, a negation on one side only or other names (identifiers), and otherwise agrees when
/// the cosine of the two answers' embeddings reaches ``agreement``. Its error on generated answer
/// pairs is measured by `bench/verify/comparator.sh` (README: "Verified hits").
public struct AnswerComparator: Sendable, Equatable {
    /// The least cosine of the two answers' embeddings at which different prose agrees.
    public var agreement: Double

    /// The shipped comparator.
    public static let standard = AnswerComparator(agreement: 0.90)

    public init(agreement: Double) {
        self.agreement = agreement
    }

    /// What the comparison needs next: a verdict, or the cosine of the two texts' embeddings.
    public enum Step: Sendable, Equatable {
        case decided(AnswerVerdict)
        /// Both answers are prose that differs without a check deciding: compare their embeddings.
        case needsCosine
    }

    /// Compares what can be compared without embeddings.
    public func compare(served: AnswerContent, fresh: AnswerContent) -> Step {
        if Self.normalised(served.text) == Self.normalised(fresh.text) {
            return .decided(served.toolCalls == fresh.toolCalls ? .agree("same answer") : .disagree("tool calls differ"))
        }
        guard served.toolCalls == fresh.toolCalls else { return .decided(.disagree("tool calls differ")) }
        let (a, b) = (PromptWords(served.text), PromptWords(fresh.text))
        if a.numbers != b.numbers { return .decided(.disagree("numbers differ")) }
        if a.isNegated != b.isNegated { return .decided(.disagree("negation differs")) }
        if a.literals != b.literals { return .decided(.disagree("names differ")) }
        return .needsCosine
    }

    /// The verdict on prose that ``compare(served:fresh:)`` left to the embeddings.
    public func verdict(cosine: Float) -> AnswerVerdict {
        Double(cosine) >= agreement ? .agree("similar prose") : .disagree("different prose")
    }

    /// Whitespace runs collapsed to one space, ends trimmed.
    static func normalised(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}

/// Whether two answers agree, and why.
public enum AnswerVerdict: Sendable, Equatable {
    case agree(String)
    case disagree(String)

    public var agrees: Bool {
        if case .agree = self { return true }
        return false
    }

    public var reason: String {
        switch self {
        case .agree(let reason), .disagree(let reason): reason
        }
    }
}
