import Foundation
import Testing
@testable import Embedding

/// An in-memory ``EmbeddingTransport``: records requests and answers with `respond`.
private final class FakeTransport: EmbeddingTransport, @unchecked Sendable {
    // @unchecked Sendable: `requests` is guarded by `lock`; `respond` is immutable.
    struct Request { let url: String; let headers: [(String, String)]; let body: [UInt8] }
    private let lock = NSLock()
    private var recorded: [Request] = []
    private let respond: @Sendable ([UInt8]) async throws -> (status: Int, body: [UInt8])

    init(_ respond: @escaping @Sendable ([UInt8]) async throws -> (status: Int, body: [UInt8])) { self.respond = respond }

    convenience init(status: Int = 200, json: String) {
        self.init { _ in (status, Array(json.utf8)) }
    }

    var requests: [Request] { lock.withLock { recorded } }

    func post(url: String, headers: [(String, String)], body: [UInt8], timeout: Duration) async throws -> (status: Int, body: [UInt8]) {
        lock.withLock { recorded.append(Request(url: url, headers: headers, body: body)) }
        return try await respond(body)
    }
}

private struct ConnectionRefused: Error, CustomStringConvertible {
    var description: String { "connection refused" }
}

@Suite struct RemoteEmbedderTests {
    private func embedder(_ transport: FakeTransport, dimension: Int? = 2, apiKey: String? = "sk-test") -> RemoteEmbedder {
        RemoteEmbedder(baseURL: "http://127.0.0.1:11434/v1/", model: "nomic-embed-text", apiKey: apiKey,
                       dimension: dimension, timeout: .seconds(5), transport: transport)
    }

    private func expectError(_ code: EmbeddingError.Code, containing text: String, _ body: () async throws -> Void,
                             sourceLocation: SourceLocation = #_sourceLocation) async {
        do {
            try await body()
            Issue.record("no error", sourceLocation: sourceLocation)
        } catch let error as EmbeddingError {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
            #expect(error.description.contains(text), "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func sendsAnOpenAIRequestAndOrdersVectorsByIndex() async throws {
        let transport = FakeTransport(json: """
            {"object": "list", "data": [{"index": 1, "embedding": [0, 2]}, {"index": 0, "embedding": [3, 4]}]}
            """)
        let remote = embedder(transport)
        #expect(remote.id == "remote:nomic-embed-text")
        let vectors = try await remote.embed(["first", "second"])
        #expect(vectors == [[0.6, 0.8], [0, 1]])

        let request = try #require(transport.requests.first)
        #expect(request.url == "http://127.0.0.1:11434/v1/embeddings")
        #expect(request.headers.contains { $0 == ("Authorization", "Bearer sk-test") })
        #expect(request.headers.contains { $0 == ("Content-Type", "application/json") })
        let body = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        #expect(body["model"] as? String == "nomic-embed-text")
        #expect(body["input"] as? [String] == ["first", "second"])
    }

    @Test func noKeyMeansNoAuthorizationHeader() async throws {
        let transport = FakeTransport(json: #"{"data": [{"index": 0, "embedding": [1, 0]}]}"#)
        _ = try await embedder(transport, apiKey: nil).embed(["x"])
        #expect(transport.requests.first?.headers.contains { $0.0 == "Authorization" } == false)
    }

    @Test func errorStatusCarriesTheUpstreamMessage() async {
        let transport = FakeTransport(status: 401, json: #"{"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}}"#)
        await expectError(.remoteStatus, containing: "401: Incorrect API key provided") {
            _ = try await embedder(transport).embed(["x"])
        }
    }

    @Test func invalidJSONIsReported() async {
        await expectError(.remoteBadResponse, containing: "not a JSON object: <html>") {
            _ = try await embedder(FakeTransport(json: "<html>bad gateway</html>")).embed(["x"])
        }
    }

    @Test func wrongDimensionIsReported() async {
        let transport = FakeTransport(json: #"{"data": [{"index": 0, "embedding": [1, 2, 3]}]}"#)
        await expectError(.remoteBadResponse, containing: "3 dimensions, expected 2") {
            _ = try await embedder(transport).embed(["x"])
        }
    }

    @Test func wrongCountIsReported() async {
        let transport = FakeTransport(json: #"{"data": [{"index": 0, "embedding": [1, 2]}]}"#)
        await expectError(.remoteBadResponse, containing: "1 embeddings for 2 inputs") {
            _ = try await embedder(transport).embed(["x", "y"])
        }
    }

    @Test func slowServerTimesOut() async {
        let transport = FakeTransport { _ in
            try await Task.sleep(for: .seconds(30))
            return (200, [])
        }
        let remote = RemoteEmbedder(baseURL: "http://slow/v1", model: "m", apiKey: nil, dimension: nil,
                                    timeout: .milliseconds(50), transport: transport)
        await expectError(.remoteTimeout, containing: "did not answer within 0.05 s") {
            _ = try await remote.embed(["x"])
        }
    }

    @Test func transportFailureIsWrapped() async {
        let transport = FakeTransport { _ in throw ConnectionRefused() }
        await expectError(.remoteTransport, containing: "connection refused") {
            _ = try await embedder(transport).embed(["x"])
        }
    }

    @Test func probingLearnsTheDimension() async throws {
        let transport = FakeTransport(json: #"{"data": [{"index": 0, "embedding": [1, 2, 2]}]}"#)
        let remote = embedder(transport, dimension: nil)
        #expect(remote.dimension == 0)
        let probed = try await remote.probingDimension()
        #expect(probed.dimension == 3)
        #expect(probed.endpoint == remote.endpoint)
    }
}
