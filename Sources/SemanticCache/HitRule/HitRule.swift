/// Decides whether a stored answer may be served for a paraphrased prompt (a semantic hit).
///
/// Cosine similarity of MiniLM embeddings alone lets through questions that share their words but
/// not their meaning ("flights from Paris to Rome" / "from Rome to Paris", "in 2019" / "in 2020").
/// The rule, fitted and measured in `bench/quality` (README: "Semantic hits: the hit rule"):
/// 1. **Vetoes** — never a hit when the query is a follow-up that needs an earlier turn, the numbers
///    differ, only one side negates, the prompts ask for different kinds of answer (who / when,
///    "describe X" / "where is X"), each names an identifier the other lacks (`site:a.org` /
///    `site:b.org`, `sort:top` / `sort:recent`), two words trade places ("from A to B" / "from B
///    to A"), sentences or long prompts reorder nearly the same words, or the sides use two members
///    of a contrast set (best/worst, June/July, Windows/Linux) or a word and its negation (safe/unsafe).
/// 2. **Score** — `cosine − lengthWeight·(substitution·rareSubstitution + added·addedRarity)`: the
///    cosine corrected by penalties (in cosine units) for a rare word (a name, a product) replaced
///    by another and for words one side adds without a counterpart ("markdown editors" / "design
///    markdown editors"), weighing up to twice as much in prompts of few content words.
/// 3. **Threshold** — a hit iff no veto fired and `score ≥ threshold`.
///
/// Candidates with `cosine < threshold` are rejected before any text is looked at (penalties are
/// never negative), so the text analysis only runs for the few candidates near the top.
public struct HitRule: Sendable, Equatable {
    /// The shipped rule: fitted penalties and the default threshold.
    public static let standard = HitRule()

    /// The default ``threshold``.
    public static let defaultThreshold = 0.83

    /// The least adjusted similarity (cosine minus penalties, on the cosine scale −1 … 1) that counts
    /// as a hit: the `--threshold` flag and the `X-Semcache-Threshold` header. Higher means fewer,
    /// safer hits. Default 0.83 (held-out LLM-style queries: precision 0.98, recall 0.56; the
    /// hand-written probe set: precision 0.94, recall 0.64); 0.90–0.95 is stricter; below 0.80 wrong
    /// hits pass often.
    public var threshold: Double

    /// Penalty per unit of ``HitFeatures/rareSubstitution``.
    let substitutionPenalty: Double
    /// Penalty per unit of ``HitFeatures/addedRarity``.
    let addedPenalty: Double

    /// The shipped rule with another threshold.
    public init(threshold: Double = HitRule.defaultThreshold) {
        self.threshold = threshold
        // Chosen by `bench/quality/fit.py --search` on the fit half of the eval pairs.
        substitutionPenalty = 0.06
        addedPenalty = 0.03
    }

    /// Judges `candidate` (a stored prompt) as an answer source for `query` (the prompt sent) given
    /// the cosine similarity of their embeddings.
    public func evaluate(query: String, candidate: String, cosine: Float) -> HitDecision {
        let similarity = Double(cosine)
        guard similarity >= threshold else {
            return HitDecision(accepted: false, score: similarity, reason: "below threshold")
        }
        let features = HitFeatures(query: PromptWords(query), candidate: PromptWords(candidate))
        if let veto = features.veto {
            return HitDecision(accepted: false, score: 0, reason: veto)
        }
        let substitution = features.lengthWeight * substitutionPenalty * features.rareSubstitution
        let added = features.lengthWeight * addedPenalty * features.addedRarity
        let score = similarity - substitution - added
        if score >= threshold {
            return HitDecision(accepted: true, score: score, reason: "accepted")
        }
        if substitution >= added, let (a, b) = features.substituted {
            return HitDecision(accepted: false, score: score, reason: "key words differ: \(a) vs \(b)")
        }
        return HitDecision(accepted: false, score: score, reason: "words added")
    }
}
