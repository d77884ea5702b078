import Foundation
import Synchronization

/// The running state of verification for one pipeline: the ``VerificationLedger``, the budget of
/// upstream calls, the sampling, and the background checks in flight (cancelled at shutdown).
final class Verifier: Sendable {
    let settings: VerificationSettings
    private struct State {
        var ledger: VerificationLedger
        var budget: VerificationBudget
        var tasks: [UInt64: Task<Void, Never>] = [:]
        var nextTask: UInt64 = 0
    }

    private let state: Mutex<State>
    private let origin = ContinuousClock.now

    /// `floor`: the configured threshold (the lowest a learnt one may go).
    init(settings: VerificationSettings, floor: Double) {
        self.settings = settings
        let bound = settings.maxFalseHitRate.map { (maxFalseHitRate: $0, floor: floor, fallback: HitRule.defaultThreshold) }
        state = Mutex(State(ledger: VerificationLedger(bound: bound), budget: VerificationBudget(perMinute: settings.budgetPerMinute, now: 0)))
    }

    private var now: Double { (ContinuousClock.now - origin).seconds }

    /// Whether a candidate the hit rule accepted with `score` is served (``VerificationLedger/serves(score:entry:request:context:)``).
    func serves(score: Double, entry: Int64, request: CacheKey, context: CacheKey) -> Bool {
        state.withLock { $0.ledger.serves(score: score, entry: entry, request: request, context: context) }
    }

    /// What happens to a hit: checked, skipped because the budget is spent, or not sampled.
    enum Sample { case check, overBudget, notSampled }

    /// Samples a hit at its kind's rate, then takes a call from the budget.
    func sample(exact: Bool) -> Sample {
        let rate = exact ? settings.exactRate : settings.semanticRate
        guard rate > 0, rate >= 1 || Double.random(in: 0..<1) < rate else { return .notSampled }
        let now = now
        return state.withLock { $0.budget.take(now: now) } ? .check : .overBudget
    }

    /// Records a verdict on a semantic candidate; returns the thresholds as the statistics show them afterwards.
    func record(score: Double, wrong: Bool, entry: Int64, request: CacheKey, context: CacheKey) -> LearntThresholds {
        state.withLock { state in
            state.ledger.record(score: score, wrong: wrong, entry: entry, request: request, context: context)
            return LearntThresholds(contexts: ContextThreshold.busiest(in: state.ledger), entries: state.ledger.entryCounts)
        }
    }

    /// Forgets what was learnt about `entry` (its answer was replaced).
    func forget(entry: Int64) {
        state.withLock { $0.ledger.forget(entries: [entry]) }
    }

    /// Checks in flight at most; more are skipped, so a burst of near misses cannot pile up work.
    static let maxChecksInFlight = 64

    /// Runs `check` in the background, tracked so that ``cancelAll()`` can stop it; false (and
    /// nothing runs) when ``maxChecksInFlight`` checks are running.
    @discardableResult
    func run(_ check: @escaping @Sendable () async -> Void) -> Bool {
        state.withLock { state in
            guard state.tasks.count < Self.maxChecksInFlight else { return false }
            let id = state.nextTask
            state.nextTask += 1
            state.tasks[id] = Task { [weak self] in
                await check()
                _ = self?.state.withLock { $0.tasks.removeValue(forKey: id) }
            }
            return true
        }
    }

    /// Cancels the checks in flight (at shutdown).
    func cancelAll() {
        let tasks = state.withLock { state in
            defer { state.tasks.removeAll() }
            return Array(state.tasks.values)
        }
        tasks.forEach { $0.cancel() }
    }
}
