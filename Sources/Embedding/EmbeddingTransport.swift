/// How ``RemoteEmbedder`` sends its HTTP requests; the sidecar's libcurl client conforms to it.
public protocol EmbeddingTransport: Sendable {
    /// POSTs `body` to `url` with `headers` and returns the response status and body.
    /// Throws when no response arrives (connection refused, DNS, TLS, `timeout` passed).
    func post(url: String, headers: [(String, String)], body: [UInt8], timeout: Duration) async throws -> (status: Int, body: [UInt8])
}
