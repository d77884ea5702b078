/// Verdicts on semantic candidates counted per bin of the hit rule's score (0.01 wide), and the
/// thresholds they support: the rule both a context's ``FalseHitBound`` and an entry's own estimate
/// (``EntryEstimates``) apply.
///
/// Only bins that have verdicts are kept (highest score first), so an entry with a handful of
/// verdicts costs a handful of bins.
public struct ScoreVerdicts: Sendable, Equatable {
    struct Bin: Sendable, Equatable {
        var index: UInt8
        var verdicts: UInt32
        var wrong: UInt32
    }

    /// Bins of score width 0.01 from 0 to 1 (scores above 1 go to the last bin, below 0 to the first).
    static let binCount = 100

    /// Bins with verdicts, highest score first.
    private(set) var bins: [Bin] = []
    /// Verdicts recorded.
    public private(set) var verdicts = 0

    public init() {}

    static func bin(_ score: Double) -> Int {
        // The small addition keeps 0.57 (56.999… × 100 in binary) in bin 57.
        min(binCount - 1, max(0, Int((score * Double(binCount) + 1e-9).rounded(.down))))
    }

    public mutating func record(score: Double, wrong: Bool) {
        let index = UInt8(Self.bin(score))
        let position = bins.firstIndex { $0.index <= index } ?? bins.endIndex
        if position == bins.endIndex || bins[position].index != index {
            bins.insert(Bin(index: index, verdicts: 0, wrong: 0), at: position)
        }
        bins[position].verdicts += 1
        if wrong { bins[position].wrong += 1 }
        verdicts += 1
    }

    /// The false-hit rate of candidates scoring at least `threshold`, as the verdicts estimate it.
    public func interval(atLeast threshold: Double) -> WilsonInterval {
        let lowest = Self.bin(threshold)
        var wrong = 0, verdicts = 0
        for bin in bins where Int(bin.index) >= lowest {
            verdicts += Int(bin.verdicts)
            wrong += Int(bin.wrong)
        }
        return WilsonInterval(errors: wrong, trials: verdicts)
    }

    /// The lowest score, from `floor` up, at which there are verdicts and the 95 % upper bound of the
    /// false-hit rate of the verdicts scoring at least as much is at most `maxFalseHitRate`; nil
    /// when there is none. A threshold is never put below the lowest verdict that supports it:
    /// scores no verdict has reached are not vouched for.
    public func lowestThreshold(meeting maxFalseHitRate: Double, from floor: Double) -> Double? {
        let floorBin = Self.bin(floor)
        var wrong = 0, verdicts = 0
        var lowest: Double?
        // From the top down, so each candidate's counts are the running sums.
        for bin in bins where Int(bin.index) >= floorBin {
            verdicts += Int(bin.verdicts)
            wrong += Int(bin.wrong)
            if WilsonInterval(errors: wrong, trials: verdicts).upper <= maxFalseHitRate {
                lowest = Double(bin.index) / Double(Self.binCount)
            }
        }
        return lowest.map { max(floor, $0) }
    }

    /// The fewest verdicts that can meet `maxFalseHitRate`: with no error in n verdicts the Wilson
    /// upper bound is z²/(n+z²), at most the rate from n = z²(1−rate)/rate on (73 for 5 %, 381 for 1 %).
    public static func fewestMeeting(_ maxFalseHitRate: Double) -> Int {
        guard maxFalseHitRate > 0 else { return .max }
        let z2 = WilsonInterval.z95 * WilsonInterval.z95
        var count = max(1, Int((z2 * (1 - maxFalseHitRate) / maxFalseHitRate).rounded(.down)))
        while WilsonInterval(errors: 0, trials: count).upper > maxFalseHitRate { count += 1 }
        return count
    }
}
