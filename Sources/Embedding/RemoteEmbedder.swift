import Foundation

/// Embeds through any OpenAI-compatible embeddings endpoint (OpenAI, Ollama, TEI, vLLM…):
/// `POST {baseURL}/embeddings` with `{"model": …, "input": [texts]}`, reading `data[].embedding` by `index`.
///
/// Vectors are L2-normalised here (not every server does it) and checked against ``dimension``.
public struct RemoteEmbedder: Embedder {
    public let id: String
    /// The configured dimension, or 0 when none was given (then any consistent size is accepted;
    /// call ``probingDimension()`` at start-up to learn it).
    public let dimension: Int
    /// The full URL requests go to.
    public let endpoint: String
    private let baseURL: String
    private let model: String
    private let apiKey: String?
    private let timeout: Duration
    private let transport: any EmbeddingTransport

    /// - Parameters:
    ///   - baseURL: the API base, e.g. `http://127.0.0.1:11434/v1`; `/embeddings` is appended.
    ///   - model: the model name sent in each request; the embedder's ``id`` is `remote:<model>`.
    ///   - apiKey: sent as `Authorization: Bearer …` when present.
    ///   - dimension: the expected vector size; `nil` to accept what the server returns.
    ///   - timeout: how long one request may take before it fails.
    public init(baseURL: String, model: String, apiKey: String?, dimension: Int?, timeout: Duration,
                transport: any EmbeddingTransport) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        endpoint = base + "/embeddings"
        self.model = model
        self.apiKey = apiKey
        self.dimension = dimension ?? 0
        self.timeout = timeout
        self.transport = transport
        id = "remote:\(model)"
    }

    /// A copy whose ``dimension`` is the size of a vector the server returns for a short probe text.
    public func probingDimension() async throws -> RemoteEmbedder {
        let probe = try await embed(["dimension probe"])
        return RemoteEmbedder(baseURL: baseURL, model: model, apiKey: apiKey,
                              dimension: probe.first?.count ?? 0, timeout: timeout, transport: transport)
    }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        if texts.isEmpty { return [] }
        let body = try JSONSerialization.data(withJSONObject: ["model": model, "input": texts])
        var headers = [("Content-Type", "application/json"), ("Accept", "application/json")]
        if let apiKey { headers.append(("Authorization", "Bearer \(apiKey)")) }
        let response = try await post(headers: headers, body: [UInt8](body))
        guard (200..<300).contains(response.status) else {
            throw EmbeddingError.remoteStatus(url: endpoint, status: response.status, message: Self.errorMessage(response.body))
        }
        return try decode(response.body, count: texts.count)
    }

    private func post(headers: [(String, String)], body: [UInt8]) async throws -> (status: Int, body: [UInt8]) {
        let race = RemoteCallRace()
        let (transport, endpoint, timeout) = (self.transport, self.endpoint, self.timeout)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                race.start(continuation, request: {
                    do {
                        return .success(try await transport.post(url: endpoint, headers: headers, body: body, timeout: timeout))
                    } catch let error as EmbeddingError {
                        return .failure(error)
                    } catch {
                        return .failure(EmbeddingError.remoteTransport(url: endpoint, String(describing: error)))
                    }
                }, timeout: timeout, timeoutError: EmbeddingError.remoteTimeout(url: endpoint, seconds: timeout.seconds))
            }
        } onCancel: {
            race.cancel()
        }
    }

    private func decode(_ body: [UInt8], count: Int) throws -> [[Float]] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            throw EmbeddingError.remoteBadResponse(url: endpoint, "not a JSON object: \(Self.excerpt(body))")
        }
        guard let data = object["data"] as? [[String: Any]] else {
            throw EmbeddingError.remoteBadResponse(url: endpoint, "no \"data\" array")
        }
        guard data.count == count else {
            throw EmbeddingError.remoteBadResponse(url: endpoint, "\(data.count) embeddings for \(count) inputs")
        }
        var vectors = [[Float]?](repeating: nil, count: count)
        for (position, item) in data.enumerated() {
            let index = (item["index"] as? Int) ?? position
            guard vectors.indices.contains(index), vectors[index] == nil else {
                throw EmbeddingError.remoteBadResponse(url: endpoint, "index \(index) is out of range or repeated")
            }
            guard let numbers = item["embedding"] as? [NSNumber], !numbers.isEmpty else {
                throw EmbeddingError.remoteBadResponse(url: endpoint, "item \(index) has no float \"embedding\" array")
            }
            var vector = numbers.map(\.floatValue)
            let expected = dimension > 0 ? dimension : (vectors.lazy.compactMap { $0 }.first?.count ?? vector.count)
            guard vector.count == expected else {
                throw EmbeddingError.remoteBadResponse(
                    url: endpoint, "embedding \(index) has \(vector.count) dimensions, expected \(expected) (was the remote model changed?)")
            }
            guard vector.allSatisfy(\.isFinite) else {
                throw EmbeddingError.remoteBadResponse(url: endpoint, "embedding \(index) holds a non-finite number")
            }
            BertKernels.normalize(&vector)
            vectors[index] = vector
        }
        return vectors.compactMap { $0 }
    }

    /// The `error.message` (OpenAI style) or `error` string of an error body, else an excerpt of it.
    private static func errorMessage(_ body: [UInt8]) -> String {
        if let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] {
            if let error = object["error"] as? [String: Any], let message = error["message"] as? String { return message }
            if let message = object["error"] as? String { return message }
        }
        return excerpt(body)
    }

    private static func excerpt(_ body: [UInt8]) -> String {
        if body.isEmpty { return "(empty body)" }
        let text = String(decoding: body.prefix(300), as: UTF8.self)
        return body.count > 300 ? text + "…" : text
    }
}

extension Duration {
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
