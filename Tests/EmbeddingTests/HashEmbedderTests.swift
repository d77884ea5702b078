import Testing
@testable import Embedding

@Suite struct HashEmbedderTests {
    /// The published FNV-1a 64-bit test vectors: the hash must not depend on the process or platform.
    @Test func fnvMatchesTheReferenceValues() {
        #expect(HashEmbedder.fnv1a([]) == 0xcbf2_9ce4_8422_2325)
        #expect(HashEmbedder.fnv1a(Array("a".utf8)) == 0xaf63_dc4c_8601_ec8c)
        #expect(HashEmbedder.fnv1a(Array("foobar".utf8)) == 0x8594_4171_f739_67e8)
    }

    @Test func vectorsAreDeterministicAndNormalised() async throws {
        let texts = ["How do I reverse a list in Python?", "", "!!!", "Ünïcödé 北京"]
        let first = try await HashEmbedder().embed(texts)
        let second = try await HashEmbedder().embed(texts)
        #expect(first == second)
        for vector in first {
            #expect(vector.count == 384)
            #expect(abs(vector.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5)
        }
    }

    @Test func paraphraseIsCloserThanUnrelatedText() async throws {
        let vectors = try await HashEmbedder(dimension: 256).embed([
            "How do I reverse a list in Python?",
            "how to reverse a python list",
            "What is the boiling point of water at sea level?",
        ])
        #expect(vectors[0].count == 256)
        let paraphrase = TestSupport.cosine(vectors[0], vectors[1])
        let unrelated = TestSupport.cosine(vectors[0], vectors[2])
        #expect(paraphrase > unrelated + 0.2, "paraphrase \(paraphrase), unrelated \(unrelated)")
    }

    @Test func caseDoesNotMatter() {
        #expect(HashEmbedder().vector("HELLO World") == HashEmbedder().vector("hello world"))
    }
}
