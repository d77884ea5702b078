/// Hit counts for one rule on one file, and the rates derived from them.
struct Metrics: Sendable {
    /// Accepted hits that are right (a labelled paraphrase of the query).
    var right = 0
    /// Accepted hits that are wrong.
    var wrong = 0
    /// Queries whose right answer is in the cache (pairwise: paraphrase pairs).
    var positives = 0
    /// Pairwise: non-paraphrase pairs; cache-style: all queries.
    var falseHitBase = 0

    var hits: Int { right + wrong }
    var precision: Double { hits == 0 ? .nan : Double(right) / Double(hits) }
    var recall: Double { positives == 0 ? .nan : Double(right) / Double(positives) }
    var falseHitRate: Double { falseHitBase == 0 ? .nan : Double(wrong) / Double(falseHitBase) }
}
