import Foundation
import Upstream

/// A store error seen after the start.
public struct StoreFailure: Sendable, Equatable {
    /// Seconds since 1970.
    public var at: Double
    /// What was being done, and the error.
    public var message: String
}

extension CachePipeline {
    /// How long a store error keeps the store reported as failing in `/_semcache/health`.
    public static let storeErrorWindow: Double = 5

    /// The upstream's state: the latest observation of a forwarded request or a probe, refreshed
    /// with a probe of the upstream's origin (`HEAD /`, 2 s to connect, 3 s to answer) when it is
    /// older than ``UpstreamHealth/freshness`` or `force` is set.
    public func checkUpstream(force: Bool = false, now: Double = Date().timeIntervalSince1970) async -> UpstreamHealth.Observation {
        if !force, let last = upstreamHealth.last, now - last.at < Double(UpstreamHealth.freshness.components.seconds) {
            return last
        }
        let probe = UpstreamRequest(method: "HEAD", url: upstreamOrigin + "/", timeouts: UpstreamHealth.probeTimeouts)
        var observation = UpstreamHealth.Observation(reachable: true, source: .probe, at: now, detail: "")
        do {
            observation.detail = "HTTP \(try await upstream.fetch(probe).status)"
        } catch {
            observation.reachable = false
            observation.detail = "\(error)"
        }
        upstreamHealth.record(reachable: observation.reachable, source: .probe, detail: observation.detail, at: observation.at)
        return observation
    }

    /// The upstream's `scheme://host:port`, without its path or credentials.
    public var upstreamOrigin: String { Forwarding.origin(of: configuration.upstreamURL) }

    /// The store's state: `unavailable` (never opened), `failing` (an error in the last
    /// ``storeErrorWindow`` seconds) or `ok`, with the error.
    public func storeHealth(now: Double = Date().timeIntervalSince1970) -> (status: String, error: String?) {
        if let storeFailure { return ("unavailable", storeFailure) }
        if let failure = lastStoreError.withLock({ $0 }), now - failure.at < Self.storeErrorWindow { return ("failing", failure.message) }
        return ("ok", nil)
    }
}
