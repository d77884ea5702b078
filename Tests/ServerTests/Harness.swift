import Foundation
import Logging
import MockUpstream
import SemanticCache
import SemanticCacheServer
import Testing
import Upstream

/// A mock upstream and a sidecar in front of it, both on loopback ports, and an HTTP client.
struct Harness {
    let mock: MockUpstreamServer
    let sidecar: SidecarServer
    let client: UpstreamClient
    let databasePath: String

    static func temporaryDatabase() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("semcache-e2e-\(UUID().uuidString).db").path
    }

    static let quietLogger = Logger(label: "semcache-test") { _ in SwiftLogNoOpLogHandler() }

    static func start(
        databasePath: String = temporaryDatabase(),
        mock: MockUpstreamServer? = nil,
        host: String = "127.0.0.1",
        adminToken: String? = nil,
        configure: (inout SidecarConfiguration) -> Void = { _ in }
    ) async throws -> Harness {
        let upstream: MockUpstreamServer
        if let mock { upstream = mock } else { upstream = try await MockUpstreamServer.start(.init()) }
        var cache = SidecarConfiguration(upstreamURL: upstream.baseURL, databasePath: databasePath)
        configure(&cache)
        var server = SidecarServer.Configuration(host: host, port: 0, cache: cache)
        server.adminToken = adminToken
        let sidecar = try await SidecarServer.start(server, logger: quietLogger)
        return Harness(mock: upstream, sidecar: sidecar, client: try UpstreamClient(), databasePath: databasePath)
    }

    /// Starts a harness like ``start(databasePath:mock:host:adminToken:configure:)``, runs `body` with it
    /// and stops it, also when `body` throws; returns what `body` returns.
    static func with<Result>(
        databasePath: String = temporaryDatabase(),
        mock: MockUpstreamServer? = nil,
        host: String = "127.0.0.1",
        adminToken: String? = nil,
        configure: (inout SidecarConfiguration) -> Void = { _ in },
        _ body: (Harness) async throws -> Result
    ) async throws -> Result {
        let harness = try await start(databasePath: databasePath, mock: mock, host: host, adminToken: adminToken, configure: configure)
        return try await scoped(harness, stop: { try await $0.stop() }, body)
    }

    /// Starts a mock upstream, runs `body` with it and stops it, also when `body` throws; returns what
    /// `body` returns.
    static func withMock<Result>(
        _ configuration: MockUpstreamServer.Configuration = .init(), _ body: (MockUpstreamServer) async throws -> Result
    ) async throws -> Result {
        let mock = try await MockUpstreamServer.start(configuration)
        return try await scoped(mock, stop: { try await $0.stop() }, body)
    }

    /// Runs `body` with `resource`, then `stop`s it, also when `body` throws (then `body`'s error wins).
    private static func scoped<Resource, Result>(
        _ resource: Resource, stop: (Resource) async throws -> Void, _ body: (Resource) async throws -> Result
    ) async throws -> Result {
        let result: Result
        do {
            result = try await body(resource)
        } catch {
            try? await stop(resource)
            throw error
        }
        try await stop(resource)
        return result
    }

    var baseURL: String { "http://127.0.0.1:\(sidecar.port)" }

    /// Stops the sidecar only (the mock keeps running, e.g. for a restart).
    func stopSidecar() async throws {
        try await sidecar.stop()
    }

    /// Stops the sidecar, the mock and the client, and deletes the database when it is one of
    /// ``temporaryDatabase()``'s (with its `-wal` and `-shm` files).
    func stop() async throws {
        try await sidecar.stop()
        try await mock.stop()
        client.shutdown()
        if URL(fileURLWithPath: databasePath).lastPathComponent.hasPrefix("semcache-e2e-") {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: databasePath + suffix) }
        }
    }

    struct Response {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: [UInt8]

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: JSONValue? { try? JSONValue.parse(body) }
    }

    func request(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = []) async throws -> Response {
        let request = UpstreamRequest(
            method: method, url: baseURL + path,
            headers: headers.map { (name: $0.0, value: $0.1) }, body: body)
        let response = try await client.fetch(request)
        return Response(status: response.status, headers: response.headers, body: response.body)
    }

    func post(_ path: String, json: String, headers: [(String, String)] = []) async throws -> Response {
        var all = headers
        if !headers.contains(where: { $0.0.lowercased() == "authorization" }) { all.append(("authorization", "Bearer sk-test-key")) }
        return try await request("POST", path, headers: [("content-type", "application/json")] + all, body: Array(json.utf8))
    }

    static func chat(_ text: String, stream: Bool = false, temperature: String = "0", model: String = "gpt-4o-mini", extra: String = "") -> String {
        #"{"model":"\#(model)","temperature":\#(temperature),"stream":\#(stream),\#(extra)"messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"\#(text)"}]}"#
    }
}
