import Foundation
import Testing

/// Locations of the repository, the MiniLM reference fixture and the model, for tests.
enum TestSupport {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// sentence-transformers' outputs for all-MiniLM-L6-v2 (`scripts/minilm-reference.sh` writes it).
    static let referenceFile = repositoryRoot.appendingPathComponent("Tests/fixtures/minilm/reference.jsonl")

    /// The model directory: `SEMCACHE_MODEL_DIR`, else `<repo>/models/all-MiniLM-L6-v2`.
    /// Records a failure telling how to fetch it when its files are not there.
    static func modelDirectory(sourceLocation: SourceLocation = #_sourceLocation) throws -> URL {
        let directory = ProcessInfo.processInfo.environment["SEMCACHE_MODEL_DIR"].map { URL(fileURLWithPath: $0) }
            ?? repositoryRoot.appendingPathComponent("models/all-MiniLM-L6-v2")
        let present = ["config.json", "vocab.txt", "model.safetensors"].allSatisfy {
            FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path)
        }
        try #require(present, "MiniLM model not found in \(directory.path): run `make model` (make test fetches it) or set SEMCACHE_MODEL_DIR", sourceLocation: sourceLocation)
        return directory
    }

    struct Reference: Decodable {
        let text: String
        let input_ids: [Int32]
        let embedding: [Float]
    }

    static func references() throws -> [Reference] {
        let data = try Data(contentsOf: referenceFile)
        return try String(decoding: data, as: UTF8.self).split(separator: "\n").map {
            try JSONDecoder().decode(Reference.self, from: Data($0.utf8))
        }
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        var dot: Float = 0, na: Float = 0, nb: Float = 0
        for (x, y) in zip(a, b) { dot += x * y; na += x * x; nb += y * y }
        return dot / (na.squareRoot() * nb.squareRoot())
    }

    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("semcache-embed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
