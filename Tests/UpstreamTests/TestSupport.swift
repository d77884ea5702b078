import Foundation
import MockUpstream
import Testing
import Upstream

/// Starts a mock upstream and a client, runs `body`, then shuts both down.
func withMockUpstream<Result>(
    client configuration: UpstreamClient.Configuration = .init(),
    _ body: (MockUpstreamServer, UpstreamClient) async throws -> Result
) async throws -> Result {
    let server = try await MockUpstreamServer.start(.init(threads: 1))
    let client = try UpstreamClient(configuration: configuration)
    do {
        let result = try await body(server, client)
        client.shutdown()
        try await server.stop()
        return result
    } catch {
        client.shutdown()
        try await server.stop()
        throw error
    }
}

/// A JSON chat request body.
func chatBody(_ question: String, stream: Bool = false, extra: [String: Any] = [:]) throws -> [UInt8] {
    var body: [String: Any] = ["model": "gpt-4o-mini", "messages": [["role": "user", "content": question]], "stream": stream]
    body.merge(extra) { $1 }
    return Array(try JSONSerialization.data(withJSONObject: body))
}

func jsonObject(_ bytes: [UInt8]) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
}

/// Server-sent events of a complete stream body: (event name or nil, data) in order.
func serverSentEvents(_ bytes: [UInt8]) -> [(event: String?, data: String)] {
    String(decoding: bytes, as: UTF8.self).components(separatedBy: "\n\n").compactMap { block in
        var event: String?
        var data: String?
        for line in block.split(separator: "\n") {
            if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) }
            if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
        }
        return data.map { (event, $0) }
    }
}

func header(_ name: String, in headers: [(name: String, value: String)]) -> [String] {
    headers.filter { $0.name.lowercased() == name }.map(\.value)
}

/// Expects `body` to throw an ``UpstreamError`` and returns it.
func expectUpstreamError(_ body: () async throws -> Void) async throws -> UpstreamError {
    do {
        try await body()
    } catch let error as UpstreamError {
        return error
    }
    Issue.record("expected an UpstreamError")
    throw CancellationError()
}
