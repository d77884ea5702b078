/// The kind of answer a prompt asks for, from its question word (see ``HitFeatures/answerType(_:)``).
enum AnswerKind: Hashable, Sendable, CustomStringConvertible {
    case person, time, place, amount
    /// "why"
    case reason
    /// "how do I …", "how to …"
    case manner
    /// "explain …", "describe …", "tell me about …"
    case description
    /// "what fruit …", "which library …": a thing of the named kind (its stem).
    case thing(String)

    /// Whether one answer cannot serve prompts of both kinds. Open kinds (description, manner,
    /// reason) go together ("explain why" / "why"); a thing goes with another thing ("what tool" /
    /// "which software"), with the open kinds and with amount; any other two kinds must match.
    func conflicts(with other: AnswerKind) -> Bool {
        if self == other || (isOpen && other.isOpen) { return false }
        switch (self, other) {
        case (.thing, .thing), (.thing, .amount), (.amount, .thing): return false
        case (.thing, _), (_, .thing): return !(isOpen || other.isOpen)
        default: return true
        }
    }

    private var isOpen: Bool {
        switch self {
        case .description, .manner, .reason: true
        default: false
        }
    }

    var description: String {
        switch self {
        case .person: "person"
        case .time: "time"
        case .place: "place"
        case .amount: "amount"
        case .reason: "reason"
        case .manner: "manner"
        case .description: "description"
        case .thing(let stem): "thing:\(stem)"
        }
    }
}
