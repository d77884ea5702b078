/// Spaces out events to at most `perSecond` a second (a token bucket holding one token): each
/// ``wait()`` returns no earlier than `1/perSecond` after the previous one was allowed.
struct RatePacer: Sendable {
    let interval: Duration?
    private var next: ContinuousClock.Instant?

    /// `perSecond` nil or not positive: no limit.
    init(perSecond: Double?) {
        interval = perSecond.flatMap { $0 > 0 ? Duration.nanoseconds(Int64((1e9 / $0).rounded())) : nil }
    }

    mutating func wait() async {
        guard let interval else { return }
        let now = ContinuousClock.now
        let slot = max(now, next ?? now)
        next = slot + interval
        if slot > now { try? await Task.sleep(until: slot, clock: .continuous) }
    }
}
