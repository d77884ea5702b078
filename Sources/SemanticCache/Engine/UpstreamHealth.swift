import Foundation
import Synchronization
import Upstream

/// What the sidecar last learnt about its upstream: from the requests it forwarded, and from a
/// cheap probe of the upstream's origin (`HEAD /`) that `/_semcache/health` makes when it has
/// heard nothing for ``freshness``.
public final class UpstreamHealth: Sendable {
    /// One thing learnt about the upstream.
    public struct Observation: Sendable, Equatable {
        public enum Source: String, Sendable {
            /// A forwarded request got a response head (any status) or failed to.
            case request
            /// The health probe.
            case probe
        }

        /// Whether the upstream answered at all (an error status counts as an answer).
        public var reachable: Bool
        public var source: Source
        /// Seconds since 1970.
        public var at: Double
        /// The HTTP status, or why there was none (never a URL path, query or credential).
        public var detail: String
    }

    /// How long an observation stands before the health endpoint probes again.
    public static let freshness: Duration = .seconds(10)
    /// The probe's connect and first-byte timeout: a health check must answer quickly.
    static let probeTimeouts = UpstreamTimeouts(connect: .seconds(2), firstByte: .seconds(3), idle: .seconds(3))

    private let latest = Mutex<Observation?>(nil)

    init() {}

    /// The most recent observation, if any.
    public var last: Observation? { latest.withLock { $0 } }

    func record(reachable: Bool, source: Observation.Source, detail: String, at time: Double = Date().timeIntervalSince1970) {
        let observation = Observation(reachable: reachable, source: source, at: time, detail: detail)
        latest.withLock { current in
            if (current?.at ?? -.infinity) <= time { current = observation }
        }
    }

    /// Records what a failed forwarded request says about reachability; cancellations (the
    /// client went away) and local set-up errors say nothing.
    func record(_ error: UpstreamError) {
        guard [.cannotConnect, .timeout, .transferFailed].contains(error.kind) else { return }
        record(reachable: false, source: .request, detail: "\(error)")
    }
}
