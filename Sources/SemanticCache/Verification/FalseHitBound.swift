/// The serving threshold of one context that keeps its false-hit rate under a bound, learnt from
/// verdicts on semantic candidates (served hits checked in the background, and near misses whose
/// fresh answer was compared with the candidate's).
///
/// Verdicts are counted per bin of the hit rule's score (0.01 wide). For a candidate threshold t the
/// false-hit rate of hits scoring at least t is estimated from the verdicts scoring at least t, with
/// a Wilson 95 % interval. The threshold is the lowest candidate, from ``floor`` up, whose upper
/// bound is at most ``maxFalseHitRate``. Without verdicts it is ``fallback`` (the shipped rule);
/// once there are verdicts and no candidate's bound is met yet, no semantic hit is served in this
/// context (``threshold`` is infinite) while near misses — every candidate the hit rule accepts —
/// keep being compared at no extra upstream call, until one is.
///
/// The bound assumes a wrong answer is no likelier at a higher score. Near misses are compared
/// every time and served hits only at the sampling rate, so low scores weigh more among the
/// verdicts than among the hits: the estimate errs on the high side.
public struct FalseHitBound: Sendable, Equatable {
    public struct Counts: Sendable, Equatable {
        public var verdicts = 0
        public var wrong = 0
    }

    /// Bins of score width 0.01 from 0 to 1 (scores above 1 go to the last bin, below 0 to the first).
    static let binCount = 100

    public let maxFalseHitRate: Double
    /// The lowest threshold considered (the configured `--threshold`).
    public let floor: Double
    /// The threshold before the verdicts decide one (the shipped rule's).
    public let fallback: Double
    private(set) var bins = [Counts](repeating: Counts(), count: FalseHitBound.binCount)

    public init(maxFalseHitRate: Double, floor: Double, fallback: Double) {
        self.maxFalseHitRate = maxFalseHitRate
        self.floor = floor
        self.fallback = max(floor, fallback)
    }

    static func bin(_ score: Double) -> Int {
        // The small addition keeps 0.57 (56.999… × 100 in binary) in bin 57.
        min(binCount - 1, max(0, Int((score * Double(binCount) + 1e-9).rounded(.down))))
    }

    public mutating func record(score: Double, wrong: Bool) {
        let index = Self.bin(score)
        bins[index].verdicts += 1
        if wrong { bins[index].wrong += 1 }
    }

    /// Verdicts recorded.
    public var verdicts: Int { bins.reduce(0) { $0 + $1.verdicts } }

    /// The false-hit rate of hits scoring at least `threshold`, as the verdicts estimate it.
    public func interval(atLeast threshold: Double) -> WilsonInterval {
        var counts = Counts()
        for index in Self.bin(threshold)..<Self.binCount {
            counts.verdicts += bins[index].verdicts
            counts.wrong += bins[index].wrong
        }
        return WilsonInterval(errors: counts.wrong, trials: counts.verdicts)
    }

    /// The score a semantic candidate needs to be served (infinite: none is).
    public var threshold: Double {
        var wrong = 0, verdicts = 0
        var lowest: Double?
        // From the top down, so each candidate's counts are the running sums.
        for index in stride(from: Self.binCount - 1, through: Self.bin(floor), by: -1) {
            verdicts += bins[index].verdicts
            wrong += bins[index].wrong
            if verdicts > 0, WilsonInterval(errors: wrong, trials: verdicts).upper <= maxFalseHitRate {
                lowest = Double(index) / Double(Self.binCount)
            }
        }
        if let lowest { return max(floor, lowest) }
        return verdicts == 0 ? fallback : .infinity
    }
}
