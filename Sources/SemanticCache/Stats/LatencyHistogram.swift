/// A latency histogram with fixed bucket bounds (milliseconds), as Prometheus histograms have.
public struct LatencyHistogram: Sendable, Equatable {
    /// Upper bounds of the buckets, in milliseconds; a last bucket without bound catches the rest.
    /// From 50 µs (an exact hit in memory) to 10 s (a miss that waited on a slow embedder).
    public static let boundsMilliseconds: [Double] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 10000]

    /// Observations per bucket (not cumulative); one more than the bounds, for the unbounded bucket.
    public private(set) var counts: [Int]
    /// Sum of the observations per bucket, in milliseconds.
    public private(set) var sums: [Double]

    public init() {
        counts = Array(repeating: 0, count: Self.boundsMilliseconds.count + 1)
        sums = Array(repeating: 0, count: Self.boundsMilliseconds.count + 1)
    }

    /// The upper bound of bucket `index`; infinity for the last.
    public static func upperBound(_ index: Int) -> Double {
        index < boundsMilliseconds.count ? boundsMilliseconds[index] : .infinity
    }

    public var count: Int { counts.reduce(0, +) }
    public var sumMilliseconds: Double { sums.reduce(0, +) }

    public mutating func observe(milliseconds: Double) {
        let value = max(0, milliseconds)
        let index = Self.boundsMilliseconds.firstIndex { value <= $0 } ?? Self.boundsMilliseconds.count
        add(bucket: index, count: 1, sum: value)
    }

    /// Adds `count` observations summing to `sum` to the bucket whose upper bound is `upperBound`
    /// (ignored when no bucket has that bound).
    public mutating func add(upperBound: Double, count: Int, sum: Double) {
        let index = upperBound.isInfinite ? Self.boundsMilliseconds.count : Self.boundsMilliseconds.firstIndex(of: upperBound)
        guard let index else { return }
        add(bucket: index, count: count, sum: sum)
    }

    private mutating func add(bucket index: Int, count: Int, sum: Double) {
        counts[index] += count
        sums[index] += sum
    }

    public mutating func merge(_ other: LatencyHistogram) {
        for index in counts.indices {
            counts[index] += other.counts[index]
            sums[index] += other.sums[index]
        }
    }

    /// The `q`-quantile (0…1), interpolated linearly inside its bucket as Prometheus'
    /// `histogram_quantile` does; the mean of the unbounded bucket when it falls there; nil when empty.
    public func quantile(_ q: Double) -> Double? {
        let total = count
        guard total > 0 else { return nil }
        let rank = q * Double(total)
        var below = 0
        for (index, bucketCount) in counts.enumerated() where bucketCount > 0 {
            if Double(below + bucketCount) >= rank {
                if index == Self.boundsMilliseconds.count { return sums[index] / Double(bucketCount) }
                let lower = index == 0 ? 0 : Self.boundsMilliseconds[index - 1]
                let upper = Self.boundsMilliseconds[index]
                let fraction = (rank - Double(below)) / Double(bucketCount)
                return lower + (upper - lower) * min(1, max(0, fraction))
            }
            below += bucketCount
        }
        return nil
    }
}
