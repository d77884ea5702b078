import Embedding
import Upstream

/// Sends the remote embedder's requests through the project's libcurl client.
public struct UpstreamEmbeddingTransport: EmbeddingTransport {
    let client: UpstreamClient

    public init(client: UpstreamClient) { self.client = client }

    public func post(url: String, headers: [(String, String)], body: [UInt8], timeout: Duration) async throws -> (status: Int, body: [UInt8]) {
        let request = UpstreamRequest(
            method: "POST", url: url, headers: headers.map { (name: $0.0, value: $0.1) }, body: body,
            timeouts: UpstreamTimeouts(connect: min(timeout, .seconds(10)), firstByte: timeout, idle: timeout))
        let response = try await client.fetch(request)
        return (response.status, response.body)
    }
}
