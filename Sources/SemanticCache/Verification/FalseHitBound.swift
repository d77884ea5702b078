/// The serving threshold of one context that keeps its false-hit rate under a bound, learnt from
/// verdicts on semantic candidates (served hits checked in the background, and near misses whose
/// fresh answer was compared with the candidate's).
///
/// The threshold is ``ScoreVerdicts/lowestThreshold(meeting:from:)`` of the context's verdicts: the
/// lowest score, from ``floor`` up, at which there are verdicts and the Wilson 95 % upper bound of
/// the false-hit rate of those scoring at least as much is at most ``maxFalseHitRate``. Without
/// verdicts it is ``fallback`` (the shipped rule); once there are verdicts and none meets the
/// bound yet, no semantic hit is served in this context (``threshold`` is infinite) while near
/// misses — every candidate the hit rule accepts — keep being compared at no extra upstream
/// call, until one does.
///
/// The bound assumes a wrong answer is no likelier at a higher score. Near misses are compared
/// every time and served hits only at the sampling rate, so low scores weigh more among the
/// verdicts than among the hits: the estimate errs on the high side.
public struct FalseHitBound: Sendable, Equatable {
    public let maxFalseHitRate: Double
    /// The lowest threshold considered (the configured `--threshold`).
    public let floor: Double
    /// The threshold before the verdicts decide one (the shipped rule's).
    public let fallback: Double
    /// The context's verdicts by score.
    public private(set) var scores = ScoreVerdicts()
    /// The score a semantic candidate needs to be served (infinite: none is); kept up to date by ``record(score:wrong:)``.
    public private(set) var threshold: Double

    public init(maxFalseHitRate: Double, floor: Double, fallback: Double) {
        self.maxFalseHitRate = maxFalseHitRate
        self.floor = floor
        self.fallback = max(floor, fallback)
        threshold = self.fallback
    }

    public mutating func record(score: Double, wrong: Bool) {
        scores.record(score: score, wrong: wrong)
        threshold = scores.lowestThreshold(meeting: maxFalseHitRate, from: floor) ?? .infinity
    }

    /// The false-hit rate of hits scoring at least `threshold`, as the verdicts estimate it.
    public func interval(atLeast threshold: Double) -> WilsonInterval {
        scores.interval(atLeast: threshold)
    }

    /// Verdicts recorded.
    public var verdicts: Int { scores.verdicts }
}
