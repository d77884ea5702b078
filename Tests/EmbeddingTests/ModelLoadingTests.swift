import Foundation
import Testing
@testable import Embedding

/// Loading MiniLM-shaped models: what works, and that every broken file is reported with its path and the fix.
@Suite struct ModelLoadingTests {
    private func withModelDirectory(_ body: (URL) async throws -> Void) async throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await body(directory)
    }

    /// Writes the synthetic model (with `header` / `dropLastBytes`), applies `damage`, and expects
    /// loading to fail with `code` and a message naming `file` and `make model`.
    private func expectLoadError(_ code: EmbeddingError.Code, naming file: String, header: String? = nil, dropLastBytes: Int = 0,
                                 damage: (URL) throws -> Void = { _ in },
                                 sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await withModelDirectory { directory in
            try SyntheticModel.write(to: directory, header: header, dropLastBytes: dropLastBytes)
            try damage(directory)
            do {
                _ = try MiniLMEmbedder(modelDirectory: directory)
                Issue.record("the model loaded", sourceLocation: sourceLocation)
            } catch let error as EmbeddingError {
                #expect(error.code == code, sourceLocation: sourceLocation)
                #expect(error.description.contains(directory.appendingPathComponent(file).path), "\(error)", sourceLocation: sourceLocation)
                #expect(error.description.contains("make model"), "\(error)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func syntheticModelLoadsAndEmbeds() async throws {
        try await withModelDirectory { directory in
            try SyntheticModel.write(to: directory)
            let embedder = try MiniLMEmbedder(modelDirectory: directory, maxBatch: 2)
            #expect(embedder.dimension == SyntheticModel.hidden)
            #expect(embedder.tokenize("The caches is fast.") == [2, 4, 5, 6, 9, 7, 10, 3])
            let texts = ["the cache is fast", "the cache is slow", "", "caches"]
            let vectors = try await embedder.embed(texts)
            #expect(vectors.count == texts.count)
            for vector in vectors {
                let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
                #expect(abs(norm - 1) < 1e-5)
            }
            #expect(vectors[0] != vectors[1])
            // Batching must not change a text's vector: each text alone gives the same result.
            for (text, batched) in zip(texts, vectors) {
                let alone = try await embedder.embed([text])[0]
                #expect(TestSupport.cosine(alone, batched) > 0.99999)
            }
        }
    }

    @Test func missingDirectoryNamesItAndTheFix() async throws {
        try await withModelDirectory { directory in
            let absent = directory.appendingPathComponent("nowhere")
            do {
                _ = try MiniLMEmbedder(modelDirectory: absent)
                Issue.record("the model loaded")
            } catch let error as EmbeddingError {
                #expect(error.code == .modelMissing)
                #expect(error.description.contains(absent.path) && error.description.contains("make model"))
            }
        }
    }

    @Test(arguments: ["vocab.txt", "model.safetensors", "config.json"])
    func missingFileIsReported(file: String) async throws {
        try await expectLoadError(.modelMissing, naming: file) {
            try FileManager.default.removeItem(at: $0.appendingPathComponent(file))
        }
    }

    @Test(arguments: ["not json at all", "[1, 2, 3]", "{\"embeddings.word_embeddings.weight\": {\"dtype\": \"F32\"}}"])
    func wrongHeaderIsReported(header: String) async throws {
        try await expectLoadError(.modelDamaged, naming: "model.safetensors", header: header)
    }

    @Test func headerLengthBeyondTheFileIsReported() async throws {
        try await expectLoadError(.modelDamaged, naming: "model.safetensors") {
            let url = $0.appendingPathComponent("model.safetensors")
            var bytes = try [UInt8](Data(contentsOf: url))
            bytes.replaceSubrange(0..<8, with: [0xFF, 0xFF, 0xFF, 0x7F, 0, 0, 0, 0])
            try Data(bytes).write(to: url)
        }
    }

    @Test(arguments: [4, 1000])
    func truncatedWeightsAreReported(droppedBytes: Int) async throws {
        try await expectLoadError(.modelDamaged, naming: "model.safetensors", dropLastBytes: droppedBytes)
    }

    @Test func tensorWithTheWrongShapeIsReported() async throws {
        try await expectLoadError(.modelDamaged, naming: "model.safetensors") {
            let config = $0.appendingPathComponent("config.json")
            let text = try String(contentsOf: config, encoding: .utf8)
                .replacingOccurrences(of: "\"intermediate_size\": 16", with: "\"intermediate_size\": 32")
            try Data(text.utf8).write(to: config)
        }
    }

    @Test func damagedConfigIsReported() async throws {
        try await expectLoadError(.modelDamaged, naming: "config.json") {
            try Data("{\"hidden_size\": 8}".utf8).write(to: $0.appendingPathComponent("config.json"))
        }
    }
}

@Suite struct RecommendedBLASThreadsTests {
    /// One thread per two cores, never none: the model thread batches, the other cores serve the event loops.
    @Test(arguments: [(1, 1), (2, 1), (3, 1), (4, 2), (16, 8)])
    func halfTheCoresAtLeastOne(cores: Int, threads: Int) {
        #expect(MiniLMEmbedder.recommendedBLASThreads(cores: cores) == threads)
    }
}
