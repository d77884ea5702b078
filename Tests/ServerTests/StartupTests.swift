import Foundation
import MockUpstream
import Testing
import Upstream

/// What an operator sees when starting `semcache serve` and running the CLI: the real binary.
@Suite struct StartupTests {
    /// No model directory from the environment (the tests' own `SEMCACHE_MODEL_DIR` is set).
    static let noModelDirectory = ["SEMCACHE_MODEL_DIR": ""]

    @Test func aDatabaseThatCannotBeOpenedStopsTheStartWithTheReason() throws {
        let run = try CLIRun.run(["serve", "--upstream", "http://127.0.0.1:9", "--port", "0", "--db", "/proc/semcache-nope/cache.db", "--embedder", "none"])
        #expect(run.status == 1)
        #expect(run.errors.contains("cannot open the cache database at /proc/semcache-nope/cache.db"), "\(run.errors)")
        #expect(!run.errors.contains("USAGE"))
        #expect(!run.output.contains("listening"))
    }

    @Test func aPortInUseIsNamed() async throws {
        try await Harness.with { harness in
            let port = harness.sidecar.port
            let run = try CLIRun.run(["serve", "--upstream", harness.mock.baseURL, "--port", String(port), "--db", Harness.temporaryDatabase(), "--embedder", "none"])
            #expect(run.status == 1)
            #expect(run.errors.contains("port \(port) on 127.0.0.1 is already in use"), "\(run.errors)")
            #expect(!run.errors.contains("errno") && !run.errors.contains("USAGE"))
        }
    }

    @Test func runtimeErrorsAreOneLineAndExit1WhileWrongInvocationsShowTheUsage() throws {
        let missing = try CLIRun.run(["export", "--db", "/nonexistent/semcache.db", "--out", "-"])
        #expect(missing.status == 1)
        #expect(missing.errors == "Error: no database at /nonexistent/semcache.db\n")
        let unreachable = try CLIRun.run(["entries", "--url", "http://127.0.0.1:9"])
        #expect(unreachable.status == 1)
        #expect(unreachable.errors.split(separator: "\n").count == 1 && !unreachable.errors.contains("USAGE"), "\(unreachable.errors)")
        let wrong = try CLIRun.run(["export", "--no-such-flag"])
        #expect(wrong.status == 64)
        #expect(wrong.errors.contains("Usage:") || wrong.errors.contains("USAGE:"))
    }

    @Test func minilmWithoutItsFilesFailsNamingWhereItLooked() throws {
        let run = try CLIRun.run(
            ["serve", "--upstream", "http://127.0.0.1:9", "--port", "0", "--db", Harness.temporaryDatabase(), "--embedder", "minilm", "--model-dir", "/nonexistent/minilm"],
            environment: Self.noModelDirectory)
        #expect(run.status == 1)
        #expect(run.errors.contains("no all-MiniLM-L6-v2 model (config.json, vocab.txt, model.safetensors) in /nonexistent/minilm"), "\(run.errors)")
        #expect(run.errors.contains("make model"))
        #expect(!run.output.contains("listening"))
    }

    @Test func theModelIsFoundInTheUserDataDirectoryFromAnyWorkingDirectory() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("semcache-xdg-\(UUID().uuidString)")
        let models = data.appendingPathComponent("semcache/models")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: data) }
        try FileManager.default.createSymbolicLink(at: models.appendingPathComponent("all-MiniLM-L6-v2"), withDestinationURL: SharedModel.directory)
        let database = Harness.temporaryDatabase()
        let output = try await Harness.withMock { mock in
            let sidecar = try await SidecarProcess.launch(
                upstream: mock.baseURL, database: database, embedder: ["--embedder", "minilm"],
                environment: Self.noModelDirectory.merging(["XDG_DATA_HOME": data.path]) { $1 }, directory: URL(fileURLWithPath: "/"))
            let output = sidecar.output
            try await sidecar.stop()
            return output
        }
        #expect(output.contains("semantic hits with minilm-l6-v2 from \(models.path)/all-MiniLM-L6-v2"), "\(output)")
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
    }

    @Test func anUpstreamWithV1IsNotDoubled() async throws {
        let database = Harness.temporaryDatabase()
        try await Harness.withMock { mock in
            let sidecar = try await SidecarProcess.launch(upstream: mock.baseURL + "/v1", database: database)
            let client = try UpstreamClient()
            let response = try await client.fetch(UpstreamRequest(
                method: "POST", url: sidecar.baseURL + "/v1/chat/completions", headers: [(name: "content-type", value: "application/json")],
                body: Array(Harness.chat("Where does this go?").utf8)))
            client.shutdown()
            let output = sidecar.output
            try await sidecar.stop()
            #expect(response.status == 200)
            #expect(mock.requestCount(path: "/v1/chat/completions") == 1)
            #expect(output.contains("→ upstream \(mock.baseURL)/v1 (POST /v1/chat/completions goes to \(mock.baseURL)/v1/chat/completions)"), "\(output)")
        }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
    }
}
