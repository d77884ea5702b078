import Foundation
import Testing
@testable import Embedding

/// all-MiniLM-L6-v2 against the sentence-transformers reference outputs in Tests/fixtures/minilm
/// (`scripts/minilm-reference.sh` regenerates them).
@Suite struct MiniLMReferenceTests {
    @Test func tokenizerMatchesHuggingFaceIds() throws {
        let tokenizer = try WordPieceTokenizer(vocabulary: TestSupport.modelDirectory().appendingPathComponent("vocab.txt"))
        let references = try TestSupport.references()
        #expect(references.count > 40)
        for reference in references {
            #expect(tokenizer.encode(reference.text) == reference.input_ids, "text: \(reference.text.debugDescription)")
        }
    }

    @Test func embeddingsMatchSentenceTransformers() async throws {
        let embedder = try MiniLMEmbedder(modelDirectory: TestSupport.modelDirectory(), maxBatch: 8)
        let references = try TestSupport.references()
        let vectors = try await embedder.embed(references.map(\.text))
        #expect(vectors.count == references.count)
        for (vector, reference) in zip(vectors, references) {
            #expect(vector.count == 384)
            let similarity = TestSupport.cosine(vector, reference.embedding)
            #expect(similarity >= 0.9999, "cosine \(similarity) for \(reference.text.debugDescription)")
        }
    }

    @Test func concurrentCallsGetTheirOwnVectors() async throws {
        let embedder = try MiniLMEmbedder(modelDirectory: TestSupport.modelDirectory(), maxBatch: 4)
        let references = Array(try TestSupport.references().prefix(12))
        let vectors = try await withThrowingTaskGroup(of: (Int, [Float]).self) { group in
            for (index, reference) in references.enumerated() {
                group.addTask { (index, try await embedder.embed([reference.text])[0]) }
            }
            var byIndex: [Int: [Float]] = [:]
            for try await (index, vector) in group { byIndex[index] = vector }
            return byIndex
        }
        for (index, reference) in references.enumerated() {
            let similarity = TestSupport.cosine(try #require(vectors[index]), reference.embedding)
            #expect(similarity >= 0.9999, "cosine \(similarity) for \(reference.text.debugDescription)")
        }
    }

    @Test func tokenizeReportsTheIdsTheModelUses() throws {
        let embedder = try MiniLMEmbedder(modelDirectory: TestSupport.modelDirectory())
        let reference = try #require(try TestSupport.references().first)
        #expect(embedder.tokenize(reference.text) == reference.input_ids)
    }
}
