import Foundation

/// `POST /v1/embeddings` in OpenAI's wire format.
///
/// Vectors are deterministic bag-of-words hashes (texts sharing words point in similar directions),
/// L2-normalised, of dimension `dimensions` (default 8); `encoding_format: "base64"` returns
/// little-endian float32 bytes in base64, as the official SDKs request by default.
enum OpenAIEmbeddingsMock {
    static let defaultDimension = 8

    static func respond(to request: MockRequest) -> MockResponse {
        guard let json = request.jsonObject(), let inputs = inputs(of: json["input"]) else {
            return OpenAIError.invalidRequest("The request body must be a JSON object with an 'input' string or array.")
        }
        let dimension = min(max(json["dimensions"] as? Int ?? defaultDimension, 1), 4096)
        let base64 = json["encoding_format"] as? String == "base64"
        let data: [JSONValue] = inputs.enumerated().map { index, text in
            let vector = embedding(of: text, dimension: dimension)
            let encoded: JSONValue = base64 ? .string(base64Encoded(vector)) : .array(vector.map(JSONValue.float))
            return ["object": "embedding", "index": .int(index), "embedding": encoded]
        }
        let tokens = inputs.map(MockAnswer.tokenCount).reduce(0, +)
        return .json([
            "object": "list",
            "data": .array(data),
            "model": .string(json["model"] as? String ?? "mock-embedding"),
            "usage": ["prompt_tokens": .int(tokens), "total_tokens": .int(tokens)],
        ])
    }

    /// The embedding the mock returns for `text`.
    static func embedding(of text: String, dimension: Int) -> [Float] {
        var vector = [Float](repeating: 0, count: dimension)
        for word in text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
            let hash = MockAnswer.hash(String(word))
            vector[Int(hash % UInt64(dimension))] += (hash >> 63) == 0 ? 1 : -1
        }
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0 else {
            vector[0] = 1
            return vector
        }
        return vector.map { $0 / norm }
    }

    /// `input` as texts: a string, strings, or token arrays (whose ids are joined by spaces).
    private static func inputs(of input: Any?) -> [String]? {
        if let text = input as? String { return [text] }
        if let texts = input as? [String], !texts.isEmpty { return texts }
        if let tokens = input as? [Int] { return [tokens.map(String.init).joined(separator: " ")] }
        if let batches = input as? [[Int]], !batches.isEmpty { return batches.map { $0.map(String.init).joined(separator: " ") } }
        return nil
    }

    private static func base64Encoded(_ vector: [Float]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(vector.count * 4)
        for value in vector {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return Data(bytes).base64EncodedString()
    }
}
