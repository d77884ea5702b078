import NIOConcurrencyHelpers
import NIOCore

/// What the mock observed (per-path request counts, last headers, connections), its stream gates and the
/// Responses API responses it stored.
final class MockState: Sendable {
    private struct Observations {
        var requestCounts: [String: Int] = [:]
        var lastHeaders: [String: [(String, String)]] = [:]
        var acceptedConnections = 0
    }

    private enum Gate {
        case released
        case closed(waiting: [EventLoopPromise<Void>])
    }

    private let observations = NIOLockedValueBox(Observations())
    private let gates = NIOLockedValueBox([String: Gate]())
    /// Responses API responses made with `store` on, by id (for `GET /v1/responses/{id}` and `previous_response_id`).
    private let responses = NIOLockedValueBox([String: JSONValue]())

    func rememberResponse(_ response: JSONValue, id: String) {
        responses.withLockedValue { $0[id] = response }
    }

    func storedResponse(id: String) -> JSONValue? {
        responses.withLockedValue { $0[id] }
    }

    func recordConnection() {
        observations.withLockedValue { $0.acceptedConnections += 1 }
    }

    func recordRequest(path: String, headers: [(String, String)]) {
        observations.withLockedValue { observations in
            observations.requestCounts[path, default: 0] += 1
            observations.lastHeaders[path] = headers
        }
    }

    func requestCount(path: String) -> Int {
        observations.withLockedValue { $0.requestCounts[path] ?? 0 }
    }

    func lastHeaders(path: String) -> [(String, String)] {
        observations.withLockedValue { $0.lastHeaders[path] ?? [] }
    }

    var acceptedConnections: Int {
        observations.withLockedValue { $0.acceptedConnections }
    }

    var requestCounts: [String: Int] {
        observations.withLockedValue { $0.requestCounts }
    }

    /// A future that succeeds once `name` is released (at once if it already was).
    func waitForGate(_ name: String, on eventLoop: any EventLoop) -> EventLoopFuture<Void> {
        gates.withLockedValue { gates in
            switch gates[name] {
            case .released:
                return eventLoop.makeSucceededVoidFuture()
            case .closed(let waiting):
                let promise = eventLoop.makePromise(of: Void.self)
                gates[name] = .closed(waiting: waiting + [promise])
                return promise.futureResult
            case nil:
                let promise = eventLoop.makePromise(of: Void.self)
                gates[name] = .closed(waiting: [promise])
                return promise.futureResult
            }
        }
    }

    /// Opens a gate for the responses waiting on it and for later ones.
    func releaseGate(_ name: String) {
        let waiting = gates.withLockedValue { gates -> [EventLoopPromise<Void>] in
            defer { gates[name] = .released }
            if case .closed(let waiting) = gates[name] { return waiting }
            return []
        }
        waiting.forEach { $0.succeed() }
    }

    /// Opens every gate, so no promise is left pending when the server stops.
    func releaseAllGates() {
        let names = gates.withLockedValue { Array($0.keys) }
        names.forEach(releaseGate)
    }
}
