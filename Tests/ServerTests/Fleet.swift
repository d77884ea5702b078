import Foundation
import MockUpstream
import Synchronization
import Testing
import TestSupport
import Upstream

/// Sidecar processes sharing one PostgreSQL database of the suite's private cluster, with a mock
/// upstream; ``with(_:extraArguments:_:)`` stops every one of them (and the mock) whatever happens.
final class Fleet: Sendable {
    let mock: MockUpstreamServer
    /// The shared database's `postgres://` URL.
    let database: String
    let client: UpstreamClient
    private let extraArguments: [String]
    private let launched = Mutex<[SidecarProcess]>([])

    private init(mock: MockUpstreamServer, database: String, client: UpstreamClient, extraArguments: [String]) {
        self.mock = mock
        self.database = database
        self.client = client
        self.extraArguments = extraArguments
    }

    /// Starts the mock and `count` sidecars on a fresh database, runs `body`, and tears all down.
    static func with(_ count: Int, extraArguments: [String] = [], _ body: (Fleet, [SidecarProcess]) async throws -> Void) async throws {
        let database = try PostgresTestCluster.required().freshDatabaseURL()
        let mock = try await MockUpstreamServer.start()
        let fleet = Fleet(mock: mock, database: database, client: try UpstreamClient(), extraArguments: extraArguments)
        do {
            var sidecars: [SidecarProcess] = []
            for _ in 0..<count { sidecars.append(try await fleet.launch()) }
            try await body(fleet, sidecars)
            await fleet.tearDown()
        } catch {
            await fleet.tearDown()
            throw error
        }
    }

    /// Starts one more sidecar on the shared database (or on `database`), stopped with the fleet.
    func launch(database: String? = nil, extraArguments more: [String] = []) async throws -> SidecarProcess {
        let sidecar = try await SidecarProcess.launch(
            upstream: mock.baseURL, database: database ?? self.database, extraArguments: extraArguments + more)
        launched.withLock { $0.append(sidecar) }
        return sidecar
    }

    private func tearDown() async {
        for sidecar in launched.withLock({ $0 }) where sidecar.process.isRunning {
            sidecar.signal(SIGKILL)
            _ = try? await sidecar.waitForExit()
        }
        for sidecar in launched.withLock({ $0 }) {
            sidecar.removeCapturedOutput()
        }
        client.shutdown()
        try? await mock.stop()
    }

    /// Sends a chat request with `text` to `sidecar` as the caller with `apiKey`.
    func ask(_ sidecar: SidecarProcess, _ text: String, apiKey: String = "sk-fleet") async throws -> Harness.Response {
        try await request(sidecar, "POST", "/v1/chat/completions", body: Harness.chat(text), apiKey: apiKey)
    }

    func request(_ sidecar: SidecarProcess, _ method: String, _ path: String, body: String = "", apiKey: String = "sk-fleet") async throws -> Harness.Response {
        let response = try await client.fetch(UpstreamRequest(
            method: method, url: sidecar.baseURL + path,
            headers: [(name: "content-type", value: "application/json"), (name: "authorization", value: "Bearer \(apiKey)")],
            body: Array(body.utf8)))
        return Harness.Response(status: response.status, headers: response.headers, body: response.body)
    }

    /// Waits a little longer than the fleet promises for a change to reach every replica (1 s).
    static func waitForPropagation() async throws {
        try await Task.sleep(for: .milliseconds(1200))
    }
}
