import Testing

@testable import SemanticCache

/// Per-entry estimates: an entry with enough verdicts of its own is served at its own threshold
/// instead of its context's — lower when its verdicts vouch for it, never when they meet the bound
/// nowhere — and the estimates kept are bounded.
@Suite struct EntryEstimateTests {
    static let context = CacheKey(hex: String(repeating: "0c", count: 32))!
    static let request = CacheKey(hex: String(repeating: "0d", count: 32))!

    /// A 5 % bound (73 verdicts without an error meet it) from a floor of 0.5, shipped rule 0.83.
    static func ledger(maxEntryEstimates: Int = 10_000) -> VerificationLedger {
        VerificationLedger(bound: (maxFalseHitRate: 0.05, floor: 0.5, fallback: 0.83), maxEntryEstimates: maxEntryEstimates)
    }

    /// Teaches the context a threshold of 0.90 through 320 entries, one verdict each: 20 wrong at 0.80, 300 right at 0.90.
    static func contextLearnt(_ ledger: inout VerificationLedger) {
        for index in 0..<320 {
            ledger.record(score: index < 20 ? 0.80 : 0.90, wrong: index < 20, entry: 1000 + Int64(index), request: request, context: context)
        }
    }

    static func record(_ ledger: inout VerificationLedger, entry: Int64, score: Double, wrong: Bool = false, times: Int) {
        for _ in 0..<times { ledger.record(score: score, wrong: wrong, entry: entry, request: request, context: context) }
    }

    @Test func scoreVerdictsKeepOnlyTheBinsThatHaveVerdicts() {
        var scores = ScoreVerdicts()
        for score in [0.95, 0.7, 0.951, 0.57] { scores.record(score: score, wrong: score < 0.6) }
        #expect(scores.bins.map(\.index) == [95, 70, 57])
        #expect(scores.verdicts == 4)
        #expect(scores.interval(atLeast: 0.7) == WilsonInterval(errors: 0, trials: 3))
        #expect(scores.interval(atLeast: 0.5) == WilsonInterval(errors: 1, trials: 4))
    }

    @Test func aThresholdIsNeverBelowTheLowestVerdictThatSupportsIt() {
        var scores = ScoreVerdicts()
        for _ in 0..<73 { scores.record(score: 0.95, wrong: false) }
        // Not the floor: no verdict vouches for the scores between it and 0.95.
        #expect(scores.lowestThreshold(meeting: 0.05, from: 0.5) == 0.95)
        #expect(scores.lowestThreshold(meeting: 0.01, from: 0.5) == nil)
        #expect(scores.lowestThreshold(meeting: 0.05, from: 0.97) == nil)
    }

    @Test func theFewestVerdictsThatCanMeetABound() {
        #expect(ScoreVerdicts.fewestMeeting(0.05) == 73)
        #expect(ScoreVerdicts.fewestMeeting(0.01) == 381)
        for rate in [0.2, 0.05, 0.01, 0.003] {
            let fewest = ScoreVerdicts.fewestMeeting(rate)
            #expect(WilsonInterval(errors: 0, trials: fewest).upper <= rate)
            #expect(WilsonInterval(errors: 0, trials: fewest - 1).upper > rate)
        }
    }

    @Test func anEntryAlwaysRightIsServedBelowItsContextOnlyWhereItsOwnVerdictsVouch() {
        var ledger = Self.ledger()
        Self.contextLearnt(&ledger)
        #expect(ledger.threshold(context: Self.context) == 0.90)
        // 72 right verdicts at 0.75 are too few for a threshold of its own: the context's applies.
        Self.record(&ledger, entry: 7, score: 0.75, times: 72)
        #expect(ledger.threshold(entry: 7, context: Self.context) == 0.90)
        #expect(!ledger.serves(score: 0.80, entry: 7, request: Self.request, context: Self.context))
        #expect(ledger.entryCounts == EntryThresholdCounts(tracked: 321, ownThreshold: 0, notServed: 0))
        // The 73rd meets the bound at 0.75: entry 7 is served from there, other entries are not.
        Self.record(&ledger, entry: 7, score: 0.75, times: 1)
        #expect(ledger.threshold(entry: 7, context: Self.context) == 0.75)
        #expect(ledger.serves(score: 0.80, entry: 7, request: Self.request, context: Self.context))
        #expect(!ledger.serves(score: 0.74, entry: 7, request: Self.request, context: Self.context))
        #expect(!ledger.serves(score: 0.80, entry: 8, request: Self.request, context: Self.context))
        #expect(ledger.entryCounts == EntryThresholdCounts(tracked: 321, ownThreshold: 1, notServed: 0))
    }

    @Test func anEntryWhoseVerdictsMeetTheBoundNowhereIsNotServed() {
        var ledger = Self.ledger()
        Self.contextLearnt(&ledger)
        // Wrong 4 times in 73 at 0.95, above its context's threshold: enough verdicts of its own to stop it.
        Self.record(&ledger, entry: 9, score: 0.97, times: 69)
        Self.record(&ledger, entry: 9, score: 0.95, wrong: true, times: 4)
        #expect(ledger.threshold(entry: 9, context: Self.context) == .infinity)
        #expect(!ledger.serves(score: 0.99, entry: 9, request: CacheKey(hex: String(repeating: "0e", count: 32))!, context: Self.context))
        #expect(ledger.entryCounts.notServed == 1)
        #expect(ledger.threshold(context: Self.context) == 0.90)
        #expect(ledger.serves(score: 0.91, entry: 10, request: Self.request, context: Self.context))
        // 100 more right at 0.97 show it right there (and not yet at 0.95: 4 wrong in 173).
        Self.record(&ledger, entry: 9, score: 0.97, times: 100)
        #expect(ledger.threshold(entry: 9, context: Self.context) == 0.97)
        #expect(ledger.entryCounts == EntryThresholdCounts(tracked: 321, ownThreshold: 1, notServed: 0))
    }

    @Test func theEntriesTrackedAreBoundedAndTheOneLeastRecentlyJudgedLeaves() {
        var ledger = Self.ledger(maxEntryEstimates: 2)
        Self.record(&ledger, entry: 1, score: 0.7, times: 73)
        // One wrong verdict on entry 2 keeps the context from any threshold; entry 1 has its own.
        Self.record(&ledger, entry: 2, score: 0.7, wrong: true, times: 1)
        #expect(ledger.threshold(context: Self.context) == .infinity)
        #expect(ledger.threshold(entry: 1, context: Self.context) == 0.7)
        Self.record(&ledger, entry: 1, score: 0.7, times: 1)
        Self.record(&ledger, entry: 3, score: 0.9, times: 1)
        // Entry 2 was judged least recently: it leaves; entry 1 keeps its threshold.
        #expect(ledger.entryCounts == EntryThresholdCounts(tracked: 2, ownThreshold: 1, notServed: 0))
        #expect(ledger.threshold(entry: 1, context: Self.context) == 0.7)
        ledger.forget(entries: [1])
        #expect(ledger.entryCounts == EntryThresholdCounts(tracked: 1, ownThreshold: 0, notServed: 0))
        #expect(ledger.threshold(entry: 1, context: Self.context) == .infinity)
    }

    @Test func withoutABoundNoEntryIsTracked() {
        var ledger = VerificationLedger(bound: nil)
        Self.record(&ledger, entry: 1, score: 0.9, times: 400)
        #expect(ledger.threshold(entry: 1, context: Self.context) == nil)
        #expect(ledger.entryCounts == EntryThresholdCounts())
    }
}
