/// The Wilson score interval of a binomial proportion: where the true rate of `errors` in `trials`
/// lies with the confidence `z` stands for (1.96: 95 % two-sided, so each bound alone holds with
/// 97.5 %). Unlike the normal approximation it stays inside 0…1 and is not zero-width at 0 errors:
/// with no error in n trials the upper bound is z²/(n+z²) (n ≈ 380 for 1 %).
public struct WilsonInterval: Sendable, Equatable {
    public var errors: Int
    public var trials: Int
    public var lower: Double
    public var upper: Double

    /// z for a 95 % two-sided interval.
    public static let z95 = 1.959964

    public init(errors: Int, trials: Int, z: Double = WilsonInterval.z95) {
        self.errors = errors
        self.trials = trials
        guard trials > 0 else {
            (lower, upper) = (0, 1)
            return
        }
        let n = Double(trials), p = Double(errors) / n, z2 = z * z
        let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        let half = z / (1 + z2 / n) * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        lower = max(0, centre - half)
        upper = min(1, centre + half)
    }

    /// errors / trials; nil without trials.
    public var rate: Double? { trials == 0 ? nil : Double(errors) / Double(trials) }
}
