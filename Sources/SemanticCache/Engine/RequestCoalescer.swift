import Synchronization

/// Identical cacheable misses in flight at the same time, by exact key: the first one (the leader)
/// goes upstream, the others follow its ``SharedFlight``.
final class RequestCoalescer: Sendable {
    /// What a request does about its miss.
    enum Role: Sendable {
        /// Go upstream and publish the answer on this flight.
        case leader(SharedFlight)
        /// Wait for this flight's leader.
        case follower(SharedFlight)
    }

    private let flights = Mutex<[CacheKey: SharedFlight]>([:])

    /// Becomes the leader for `key` (creating its flight with `makeFlight`) or follows the one in flight.
    func join(_ key: CacheKey, makeFlight: () -> SharedFlight) -> Role {
        flights.withLock { flights in
            if let flight = flights[key] {
                flight.addFollower()
                return .follower(flight)
            }
            let flight = makeFlight()
            flights[key] = flight
            return .leader(flight)
        }
    }

    /// Ends a leader's flight: later requests for `key` no longer join it, and its followers wake.
    /// Removal comes first, so a follower that finds no answer and joins again starts a new flight.
    /// Only the first call for a flight has an effect.
    func land(_ key: CacheKey, _ flight: SharedFlight, _ ending: SharedFlight.Ending) {
        flights.withLock { flights in
            if flights[key] === flight { flights[key] = nil }
        }
        flight.finish(ending)
    }

    /// Requests waiting for an identical one, across every flight.
    var followerCount: Int { flights.withLock { $0.values.reduce(0) { $0 + $1.followerCount } } }
}
