/// What verification has learnt, as pure state: a ``FalseHitBound`` per context, each entry's own
/// estimate (``EntryEstimates``), the paraphrases an entry answered wrongly, and per entry the
/// highest score at which it did.
///
/// Serving rules it gives: a semantic candidate is served when its score reaches the entry's own
/// threshold once it has enough verdicts for one, else its context's; the entry was never found
/// wrong for this very request; and the score is above every score at which the entry was found
/// wrong for another one (an entry wrong for one paraphrase stays in service for closer ones).
/// Every table is bounded: beyond `maxContexts` a context already known makes room for a new one;
/// beyond `maxEntries` the oldest pairs and entries leave first; beyond `maxEntryEstimates` the
/// entry whose last verdict is oldest.
public struct VerificationLedger: Sendable {
    /// Context thresholds, when a false-hit bound is set (`--max-false-hit-rate`).
    public let bound: (maxFalseHitRate: Double, floor: Double, fallback: Double)?
    public let maxContexts: Int
    public let maxEntries: Int
    private(set) var contexts: [CacheKey: FalseHitBound] = [:]
    /// Per-entry estimates, when a false-hit bound is set.
    private var estimates: EntryEstimates?
    private var denied = BoundedSet<Denial>(limit: 1)
    private var entryFloors: [Int64: Double] = [:]
    private var entriesFound = BoundedSet<Int64>(limit: 1)

    struct Denial: Hashable {
        var request: CacheKey
        var entry: Int64
    }

    public init(
        bound: (maxFalseHitRate: Double, floor: Double, fallback: Double)?, maxContexts: Int = 10_000, maxEntries: Int = 100_000,
        maxEntryEstimates: Int = 10_000
    ) {
        self.bound = bound
        estimates = bound.map { EntryEstimates(maxFalseHitRate: $0.maxFalseHitRate, floor: $0.floor, limit: maxEntryEstimates) }
        self.maxContexts = maxContexts
        self.maxEntries = maxEntries
        denied = BoundedSet(limit: maxEntries)
        entriesFound = BoundedSet(limit: maxEntries)
    }

    /// The score a semantic candidate in `context` needs (nil: no bound is set, the hit rule decides alone).
    public func threshold(context: CacheKey) -> Double? {
        guard let bound else { return nil }
        return contexts[context]?.threshold ?? bound.fallback
    }

    /// The score a semantic candidate from `entry` needs: the entry's own threshold when it has
    /// enough verdicts for one, else its context's (nil: no bound is set).
    public func threshold(entry: Int64, context: CacheKey) -> Double? {
        estimates?.threshold(entry: entry) ?? threshold(context: context)
    }

    /// Whether a candidate the hit rule accepted with `score` is served to `request`.
    public func serves(score: Double, entry: Int64, request: CacheKey, context: CacheKey) -> Bool {
        if let threshold = threshold(entry: entry, context: context), score < threshold { return false }
        if denied.contains(Denial(request: request, entry: entry)) { return false }
        if let wrongAt = entryFloors[entry], score <= wrongAt { return false }
        return true
    }

    /// Records a verdict on `entry` answering `request` at `score`.
    public mutating func record(score: Double, wrong: Bool, entry: Int64, request: CacheKey, context: CacheKey) {
        if let bound {
            if contexts[context] == nil, contexts.count >= maxContexts, let any = contexts.keys.first { contexts[any] = nil }
            contexts[context, default: FalseHitBound(maxFalseHitRate: bound.maxFalseHitRate, floor: bound.floor, fallback: bound.fallback)]
                .record(score: score, wrong: wrong)
            estimates?.record(score: score, wrong: wrong, entry: entry)
        }
        guard wrong else { return }
        denied.insert(Denial(request: request, entry: entry))
        if let evicted = entriesFound.insert(entry) { entryFloors[evicted] = nil }
        entryFloors[entry] = max(entryFloors[entry] ?? score, score)
    }

    /// Forgets what was learnt about entries that no longer exist (purged, expired, replaced).
    public mutating func forget(entries: some Sequence<Int64>) {
        for entry in entries {
            entryFloors[entry] = nil
            estimates?.forget(entry: entry)
        }
    }

    /// How many entries have verdicts counted, and how many a threshold of their own.
    public var entryCounts: EntryThresholdCounts { estimates?.counts ?? EntryThresholdCounts() }

    /// The contexts with the most verdicts, at most `limit`.
    public func busiestContexts(limit: Int) -> [(context: CacheKey, bound: FalseHitBound)] {
        contexts.map { (context: $0.key, bound: $0.value) }
            .sorted { ($0.bound.verdicts, $1.context) > ($1.bound.verdicts, $0.context) }
            .prefix(limit).map { $0 }
    }
}

/// A set that forgets its oldest members beyond `limit`.
struct BoundedSet<Element: Hashable>: Sendable where Element: Sendable {
    let limit: Int
    private var members: Set<Element> = []
    private var order: [Element] = []
    private var start = 0

    init(limit: Int) { self.limit = limit }

    func contains(_ element: Element) -> Bool { members.contains(element) }

    /// Adds `element`; returns the member it pushed out, if any.
    @discardableResult
    mutating func insert(_ element: Element) -> Element? {
        guard members.insert(element).inserted else { return nil }
        order.append(element)
        guard members.count > limit else { return nil }
        let evicted = order[start]
        members.remove(evicted)
        start += 1
        if start > limit {
            order.removeFirst(start)
            start = 0
        }
        return evicted
    }
}
