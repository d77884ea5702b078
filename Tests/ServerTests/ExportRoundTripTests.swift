import Foundation
import SemanticCache
import Testing

/// `semcache export` → `semcache prewarm`: a warm cache moved to another sidecar or file, losslessly.
@Suite struct ExportRoundTripTests {
    static let keyA = ("authorization", "Bearer sk-export-a")
    static let keyB = ("authorization", "Bearer sk-export-b")

    static func semantic(_ configuration: inout SidecarConfiguration) {
        configuration.embedder = try? SharedModel.minilm()
    }

    /// Fills a sidecar with two entries (one in a namespace, one hit twice) and exports it with the CLI.
    static func exportedCache() async throws -> (lines: [Substring], file: URL) {
        let run = try await Harness.with(configure: semantic) { source in
            _ = try await source.post("/v1/chat/completions", json: Harness.chat(SemanticHitTests.question), headers: [keyA])
            _ = try await source.post("/v1/embeddings", json: #"{"model":"text-embedding-3-small","input":"capital of Peru"}"#, headers: [keyA, ("x-semcache-namespace", "team")])
            for _ in 0..<2 {
                #expect(try await source.post("/v1/chat/completions", json: Harness.chat(SemanticHitTests.question), headers: [keyA]).header("x-semcache") == "hit-exact")
            }
            try await Task.sleep(for: .milliseconds(1500))  // hits reach the store about once a second
            return try CLIRun.run(["export", "--url", source.baseURL, "--out", "-"])
        }
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.errors == "exported 2 entries\n")
        #expect(!run.output.contains("sk-export"))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("semcache-export-\(UUID().uuidString).jsonl")
        try Data(run.output.utf8).write(to: file)
        return (run.output.split(separator: "\n"), file)
    }

    @Test func anExportPrewarmsAnotherSidecarWhichHitsExactlyAndSemantically() async throws {
        let (lines, file) = try await Self.exportedCache()
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(lines.count == 2)
        try await Harness.with(configure: Self.semantic) { target in
            let run = try CLIRun.run(["prewarm", "--url", target.baseURL, file.path])
            #expect(run.status == 0, "\(run.errors)")
            #expect(run.output.contains("semcache export"))
            #expect(run.output.contains("  stored             2\n"))

            let ask = { (text: String, headers: [(String, String)]) in
                try await target.post("/v1/chat/completions", json: Harness.chat(text), headers: headers + [("cache-control", "no-store")]).header("x-semcache")
            }
            #expect(try await ask(SemanticHitTests.question, [Self.keyA]) == "hit-exact")
            #expect(try await ask(SemanticHitTests.paraphrase, [Self.keyA]) == "hit-semantic")
            // The partition came along: another key, or no namespace, does not hit.
            #expect(try await ask(SemanticHitTests.question, [Self.keyB]) == "miss")
            let embeddings = #"{"model":"text-embedding-3-small","input":"capital of Peru"}"#
            #expect(try await target.post("/v1/embeddings", json: embeddings, headers: [Self.keyA]).header("x-semcache") == "miss")
            #expect(try await target.post("/v1/embeddings", json: embeddings, headers: [Self.keyA, ("x-semcache-namespace", "team")]).header("x-semcache") == "hit-exact")
            #expect(target.mock.requestCount(path: "/v1/chat/completions") == 1)  // only key B's miss
        }
    }

    @Test func expiredEntriesAndOtherPartitioningsAreSkippedWithTheReason() async throws {
        let (lines, file) = try await Self.exportedCache()
        defer { try? FileManager.default.removeItem(at: file) }
        let edited = lines.enumerated().map { index, line in
            index == 0
                ? line.replacingOccurrences(of: #""expires_at":"#, with: #""expires_at":1,"was":"#)
                : line.replacingOccurrences(of: #""partitioning":"per-key""#, with: #""partitioning":"shared""#)
        }
        try Data((edited.joined(separator: "\n") + "\n").utf8).write(to: file)
        let run = try await Harness.with { target in
            try CLIRun.run(["prewarm", "--url", target.baseURL, file.path])
        }
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("  stored             0\n"))
        #expect(run.output.contains("(expired 1, other partitioning 1)"), "\(run.output)")
    }

    @Test func exportPrewarmExportIsLossless() async throws {
        let (lines, file) = try await Self.exportedCache()
        let database = Harness.temporaryDatabase()
        defer {
            try? FileManager.default.removeItem(at: file)
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
        }
        let prewarm = try CLIRun.run(["prewarm", "--db", database, "--embedder", "none", file.path])
        #expect(prewarm.status == 0, "\(prewarm.errors)")
        let again = try CLIRun.run(["export", "--db", database, "--out", "-"])
        #expect(again.status == 0, "\(again.errors)")
        func withoutID(_ line: Substring) throws -> JSONValue? {
            guard case .object(let members)? = try JSONValue.parse(Array(line.utf8)) as JSONValue? else { return nil }
            return .object(members.filter { $0.key != "id" })
        }
        let before = try lines.map(withoutID)
        let after = try again.output.split(separator: "\n").map(withoutID)
        #expect(after.count == 2)
        #expect(after == before)
        #expect(before.contains { $0?["hits"]?.int == 2 && $0?["embedding"]?.string != nil })
        // A second run adds nothing.
        #expect(try CLIRun.run(["prewarm", "--db", database, "--embedder", "none", file.path]).output.contains("  duplicates         2\n"))
    }
}
