import Upstream

/// The sidecar's answer when the upstream could not answer before the response head: 504 for a
/// timeout, naming the phase and the flag that sets its limit; 502 otherwise.
enum UpstreamFailureResponse {
    static func make(_ error: UpstreamError, upstream: String, shape: ErrorShape, extraHeaders: HeaderList) -> CompleteResponse {
        guard let phase = error.timeoutPhase else {
            return .error(
                status: 502, type: "upstream_unreachable",
                message: "semcache could not get an answer from the upstream \(upstream): \(error)", shape: shape,
                extraHeaders: extraHeaders)
        }
        let (name, flag) = switch phase {
        case .connect: ("connect", "--connect-timeout")
        case .firstByte: ("first-byte", "--first-byte-timeout")
        case .idle: ("idle", "--idle-timeout")
        }
        return .error(
            status: 504, type: "upstream_timeout",
            message: "semcache timed out waiting for the upstream \(upstream) (\(name) timeout, \(flag)): \(error)",
            shape: shape, extraHeaders: extraHeaders)
    }
}
