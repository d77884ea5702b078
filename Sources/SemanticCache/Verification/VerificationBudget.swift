/// At most `perMinute` verification calls in any minute: a token bucket holding up to `perMinute`
/// calls, refilled continuously at `perMinute` per minute. Pure; the caller passes the time.
public struct VerificationBudget: Sendable, Equatable {
    public let perMinute: Int
    private var available: Double
    private var updatedAt: Double

    /// A full bucket at `now` (seconds on any clock that does not go back).
    public init(perMinute: Int, now: Double) {
        self.perMinute = perMinute
        available = Double(perMinute)
        updatedAt = now
    }

    /// Takes one call when the budget has one at `now`; false when it is spent.
    public mutating func take(now: Double) -> Bool {
        available = min(Double(perMinute), available + max(0, now - updatedAt) * Double(perMinute) / 60)
        updatedAt = max(updatedAt, now)
        guard available >= 1 else { return false }
        available -= 1
        return true
    }
}
