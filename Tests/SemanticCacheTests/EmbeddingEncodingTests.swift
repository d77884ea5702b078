import Foundation
import Testing
@testable import SemanticCache

@Suite struct EmbeddingEncodingTests {
    private let vector: [Float] = [0.0023, -0.0093, 1, -0, 1e-30, 3.4e38, -0.006929283, .leastNonzeroMagnitude]

    private func answer(_ embedding: JSONValue) -> [UInt8] {
        JSONValue.object([
            (key: "object", value: "list"),
            (key: "data", value: [["object": "embedding", "index": 0, "embedding": embedding]]),
            (key: "model", value: "text-embedding-3-small"),
            (key: "usage", value: ["prompt_tokens": 3, "total_tokens": 3]),
        ]).compactBytes
    }

    private func floats(_ response: [UInt8]) throws -> [Float]? {
        try JSONValue.parse(response)["data"]?[0]?["embedding"].flatMap(EmbeddingEncoding.floats(of:))
    }

    @Test func floatAndBase64ConvertBothWaysBitForBit() throws {
        let asFloats = try #require(EmbeddingEncoding.float.encode(vector))
        let asBase64 = try #require(EmbeddingEncoding.base64.encode(vector))
        let fromFloats = try #require(EmbeddingEncoding.base64.convert(answer(asFloats)))
        let fromBase64 = try #require(EmbeddingEncoding.float.convert(answer(asBase64)))
        #expect(try floats(fromFloats)?.map(\.bitPattern) == vector.map(\.bitPattern))
        #expect(try floats(fromBase64)?.map(\.bitPattern) == vector.map(\.bitPattern))
        #expect(try JSONValue.parse(fromFloats)["data"]?[0]?["embedding"]?.string != nil)
        #expect(try JSONValue.parse(fromBase64)["model"] == "text-embedding-3-small")
        // Back again: the same bytes as the original answer.
        #expect(EmbeddingEncoding.float.convert(fromFloats) == EmbeddingEncoding.float.convert(answer(asFloats)))
    }

    @Test func base64IsLittleEndianFloat32() throws {
        // 1.0 is 0x3F800000: bytes 00 00 80 3F.
        let encoded = try #require(EmbeddingEncoding.base64.encode([1]))
        #expect(encoded == .string(Data([0x00, 0x00, 0x80, 0x3F]).base64EncodedString()))
        #expect(EmbeddingEncoding.floats(of: .string("AACAPw==")) == [1])
    }

    @Test func anAnswerAlreadyInTheEncodingIsReturnedUnchanged() {
        let stored = Array(#"{"data": [ {"embedding": [0.5, 0.25], "index": 0} ], "model": "m"}"#.utf8)
        #expect(EmbeddingEncoding.float.convert(stored) == stored)
    }

    @Test func unconvertibleAnswersAreRefused() {
        #expect(EmbeddingEncoding.float.convert(answer("AAA=")) == nil)  // 2 bytes: not whole float32 values
        #expect(EmbeddingEncoding.float.convert(answer("not base64!")) == nil)
        #expect(EmbeddingEncoding.base64.convert(Array(#"{"object":"list"}"#.utf8)) == nil)
        #expect(EmbeddingEncoding.float.convert(answer(.string(Data([0, 0, 0xC0, 0x7F]).base64EncodedString()))) == nil)  // NaN
    }

    @Test func encodingFormatLeavesTheKeyAndDimensionsStays() throws {
        func key(_ extra: String) throws -> CacheKey {
            try CacheRequest.analyse(
                endpoint: .embeddings, body: Array(#"{"model":"text-embedding-3-small","input":"hi"\#(extra)}"#.utf8),
                partition: CachePartition(namespace: "", credential: nil, shared: false)
            ).exactKey
        }
        #expect(try key("") == key(#","encoding_format":"base64""#))
        #expect(try key(#","encoding_format":"float""#) == key(#","encoding_format":null"#))
        #expect(try key(#","dimensions":256"#) != key(""))
        #expect(throws: RequestAnalysisError.self) { try key(#","encoding_format":"int8""#) }
        #expect(throws: RequestAnalysisError.self) { try key(#","encoding_format":1"#) }
    }
}
