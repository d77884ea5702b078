import Foundation
import Testing

@testable import SemanticCache

/// The Wilson interval, the learnt threshold, the ledger's serving rules and the budget.
@Suite struct FalseHitBoundTests {
    @Test func wilsonIntervalMatchesKnownValues() {
        let none = WilsonInterval(errors: 0, trials: 0)
        #expect(none.lower == 0 && none.upper == 1 && none.rate == nil)
        // 10 of 100: 95 % Wilson interval 5.52 % … 17.44 %.
        let tenth = WilsonInterval(errors: 10, trials: 100)
        #expect(abs(tenth.lower - 0.0552) < 0.0001 && abs(tenth.upper - 0.1744) < 0.0001)
        // No error in n trials: upper bound z²/(n+z²); 1 % needs 381.
        #expect(WilsonInterval(errors: 0, trials: 381).upper <= 0.01)
        #expect(WilsonInterval(errors: 0, trials: 380).upper > 0.01)
    }

    @Test func withoutVerdictsTheShippedRuleDecides() {
        let bound = FalseHitBound(maxFalseHitRate: 0.01, floor: 0.70, fallback: HitRule.defaultThreshold)
        #expect(bound.threshold == HitRule.defaultThreshold)
        // The fallback is never below the floor.
        #expect(FalseHitBound(maxFalseHitRate: 0.01, floor: 0.9, fallback: 0.83).threshold == 0.9)
    }

    @Test func theLowestThresholdWhoseUpperBoundFitsIsChosen() {
        var bound = FalseHitBound(maxFalseHitRate: 0.01, floor: 0.70, fallback: 0.83)
        for _ in 0..<100 { bound.record(score: 0.75, wrong: true) }
        for _ in 0..<1000 { bound.record(score: 0.91, wrong: false) }
        // At 0.75 the wrong ones count; from 0.91 up only 1000 right ones (upper bound 0.38 %). Not
        // 0.76: no verdict vouches for the scores in between.
        #expect(bound.threshold == 0.91)
        #expect(bound.interval(atLeast: 0.76).upper < 0.01)
        #expect(bound.interval(atLeast: 0.70).errors == 100)
    }

    @Test func onceThereAreVerdictsNothingIsServedUntilABoundIsMet() {
        var bound = FalseHitBound(maxFalseHitRate: 0.01, floor: 0.70, fallback: 0.83)
        bound.record(score: 0.75, wrong: false)
        #expect(bound.threshold == .infinity)
        // 1 wrong in 100 (95 % interval 0.2 % … 5.4 %) meets no bound of 1 % either.
        for index in 0..<100 { bound.record(score: 0.9, wrong: index == 0) }
        #expect(bound.threshold == .infinity)
        // 400 right ones at 0.96 do (upper bound 0.95 %).
        for _ in 0..<400 { bound.record(score: 0.96, wrong: false) }
        #expect(bound.threshold == 0.96)
    }

    /// Seeded synthetic traffic: each candidate's score is uniform in 0.6 … 1, and its answer is
    /// wrong with a probability falling from 1 to 0 around 0.82. Candidates at or above the learnt
    /// threshold are served and 10 % of them verified; those between the floor and it are near
    /// misses, always compared. The served hits of the second half must be wrong at most 1 % of the time.
    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func theBoundHoldsOnSyntheticTraffic(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        let context = CacheKey(hex: String(repeating: "ab", count: 32))!
        var ledger = VerificationLedger(bound: (maxFalseHitRate: 0.01, floor: 0.70, fallback: 0.83))
        let requests = 60_000
        var served = 0, wrong = 0
        for index in 0..<requests {
            let score = Double.random(in: 0.6..<1, using: &random)
            let isWrong = Double.random(in: 0..<1, using: &random) < 1 / (1 + exp((score - 0.82) * 40))
            let request = CacheKey(hex: String(format: "%064x", index))!
            let entry = Int64(index % 5000)
            guard score >= 0.70 else { continue }
            if ledger.serves(score: score, entry: entry, request: request, context: context) {
                if index >= requests / 2 {
                    served += 1
                    if isWrong { wrong += 1 }
                }
                if Double.random(in: 0..<1, using: &random) < 0.1 {
                    ledger.record(score: score, wrong: isWrong, entry: entry, request: request, context: context)
                }
            } else {
                ledger.record(score: score, wrong: isWrong, entry: entry, request: request, context: context)
            }
        }
        let threshold = ledger.threshold(context: context)!
        #expect(threshold > 0.83 && threshold < 1, "learnt threshold \(threshold)")
        #expect(served > 1000)
        #expect(Double(wrong) / Double(served) <= 0.01, "\(wrong) wrong of \(served) served")
    }

    @Test func aWrongEntryIsKeptFromThatParaphraseAndFromLowerScores() {
        let context = CacheKey(hex: String(repeating: "01", count: 32))!
        let (asked, other) = (CacheKey(hex: String(repeating: "02", count: 32))!, CacheKey(hex: String(repeating: "03", count: 32))!)
        var ledger = VerificationLedger(bound: nil)
        #expect(ledger.threshold(context: context) == nil)
        #expect(ledger.serves(score: 0.9, entry: 7, request: asked, context: context))
        ledger.record(score: 0.9, wrong: true, entry: 7, request: asked, context: context)
        #expect(!ledger.serves(score: 0.99, entry: 7, request: asked, context: context))
        #expect(!ledger.serves(score: 0.9, entry: 7, request: other, context: context))
        #expect(ledger.serves(score: 0.95, entry: 7, request: other, context: context))
        #expect(ledger.serves(score: 0.9, entry: 8, request: asked, context: context))
        ledger.forget(entries: [7])
        #expect(ledger.serves(score: 0.9, entry: 7, request: other, context: context))
    }

    @Test func budgetAllowsAtMostItsCallsPerMinute() {
        var budget = VerificationBudget(perMinute: 3, now: 0)
        func taken(_ attempts: Int, at now: Double) -> Int {
            var count = 0
            for _ in 0..<attempts where budget.take(now: now) { count += 1 }
            return count
        }
        #expect(taken(5, at: 1) == 3)
        #expect(taken(1, at: 10) == 0)
        #expect(taken(2, at: 21) == 1)  // one call refilled every 20 s
        #expect(taken(5, at: 1000) == 3)
    }

    @Test func boundedSetForgetsItsOldestMembers() {
        var set = BoundedSet<Int>(limit: 3)
        for member in 1...3 { #expect(set.insert(member) == nil) }
        #expect(set.insert(4) == 1)
        #expect(!set.contains(1) && set.contains(4))
        #expect(set.insert(4) == nil)
    }
}
