import Foundation
import MockUpstream
import SemanticCache
import Testing

/// `semcache prewarm` as a user runs it: the real binary (`swift build` puts it in
/// `.build/debug/semcache`) as a subprocess.
@Suite struct PrewarmCLITests {
    static let binary = SDKClient.repositoryRoot.appendingPathComponent(".build/debug/semcache")

    struct Run {
        var status: Int32
        var output: String
        var errors: String
    }

    /// Starts the CLI with `arguments`; `PREWARM_KEY` holds the harness's API key.
    static func launch(_ arguments: [String]) throws -> (Process, Pipe, Pipe) {
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw CLIMissing(path: binary.path)
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["prewarm"] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["PREWARM_KEY": Prewarm.apiKey]) { $1 }
        let (output, errors) = (Pipe(), Pipe())
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        return (process, output, errors)
    }

    static func finish(_ process: Process, _ output: Pipe, _ errors: Pipe) -> Run {
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: out, as: UTF8.self), errors: String(decoding: err, as: UTF8.self))
    }

    static func run(_ arguments: [String]) throws -> Run {
        let (process, output, errors) = try launch(arguments)
        return finish(process, output, errors)
    }

    struct CLIMissing: Error, CustomStringConvertible {
        let path: String
        var description: String { "\(path) is missing: run `swift build --product semcache` first" }
    }

    @Test func theSummarySaysWhatWasStoredSkippedAndWhere() throws {
        let db = Harness.temporaryDatabase()
        let arguments = ["--db", db, "--embedder", "hash", "--api-key-env", "PREWARM_KEY", Prewarm.fixture("pairs.jsonl")]
        let first = try Self.run(arguments)
        #expect(first.status == 0, "\(first.errors)")
        #expect(first.output.contains("format: \(Prewarm.fixture("pairs.jsonl")): request/response pairs"))
        #expect(first.output.contains("read 12 records in "))
        #expect(first.output.contains("  stored             6\n"))
        #expect(first.output.contains("  skipped            6  (malformed 3, not cacheable 1, non-2xx 1, no answer 1)\n"))
        #expect(first.output.contains("first malformed records:\n  \(Prewarm.fixture("pairs.jsonl")):5: not JSON"))
        let second = try Self.run(arguments)
        #expect(second.output.contains("  stored             0\n  duplicates         6\n"))
    }

    @Test func withoutAKeyItSaysWhoseCacheItFills() throws {
        let run = try Self.run(["--db", Harness.temporaryDatabase(), "--embedder", "none", "--dry-run", Prewarm.fixture("pairs.jsonl")])
        #expect(run.status == 0)
        #expect(run.errors.contains("note: no --api-key-env: entries will only answer requests sent without an API key"))
        #expect(run.output.contains("dry run: nothing was stored"))
        #expect(run.output.contains("  stored             6\n"))
    }

    @Test func wrongInvocationsAreRefusedWithWhatToDo() throws {
        let neither = try Self.run([Prewarm.fixture("pairs.jsonl")])
        #expect(neither.status != 0 && neither.errors.contains("--url http://127.0.0.1:8080"))
        let replay = try Self.run(["--db", Harness.temporaryDatabase(), "--replay", Prewarm.fixture("pairs.jsonl")])
        #expect(replay.status != 0 && replay.errors.contains("--replay with --db needs --upstream"))
        let missingKey = try Self.run(["--db", Harness.temporaryDatabase(), "--api-key-env", "SEMCACHE_TEST_UNSET_VARIABLE", Prewarm.fixture("pairs.jsonl")])
        #expect(missingKey.status != 0 && missingKey.errors.contains("SEMCACHE_TEST_UNSET_VARIABLE"))
    }

    @Test func prewarmingARunningSidecarOverHTTPReplaysWhatHasNoAnswer() async throws {
        let harness = try await Harness.start()
        let files = [Prewarm.fixture("batch-input.jsonl"), Prewarm.fixture("batch-output.jsonl")]
        let run = try Self.run(["--url", harness.baseURL, "--api-key-env", "PREWARM_KEY"] + files)
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("  stored             2\n"))
        #expect(run.output.contains("  replayed           2\n"))
        // Judged by the sidecar, reported with the line it was read from.
        #expect(run.output.contains("batch-input.jsonl:4: request not understood"))
        for record in try Prewarm.records(["batch-input.jsonl", "batch-output.jsonl"]) where record.request["messages"]?.array != nil {
            let response = try await Prewarm.ask(harness, record)
            if record.request["temperature"] == 0 { #expect(response.header("x-semcache") == "hit-exact", "\(record.source)") }
        }
        // request-3 (its batch line failed) and request-5 (no output line), each once.
        #expect(harness.mock.requestCount(path: "/v1/chat/completions") == 1)
        #expect(harness.mock.requestCount(path: "/v1/embeddings") == 1)
        try await harness.stop()
    }

    @Test func ctrlCStopsAfterTheBatchInProgressAndKeepsWhatWasStored() async throws {
        let mock = try await MockUpstreamServer.start(.init(latency: .milliseconds(100)))
        let db = Harness.temporaryDatabase()
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("semcache-unanswered-\(UUID().uuidString).jsonl")
        var lines = ""
        for number in 1...200 {
            lines += #"{"endpoint":"/v1/chat/completions","request":{"model":"gpt-4o-mini","temperature":0,"messages":[{"role":"user","content":"Unanswered \#(number)"}]}}"# + "\n"
        }
        try Data(lines.utf8).write(to: input)
        let (process, output, errors) = try Self.launch([
            "--db", db, "--embedder", "none", "--upstream", mock.baseURL, "--rate", "20/s", "--concurrency", "2",
            "--api-key-env", "PREWARM_KEY", "--format", "pairs", input.path,
        ])
        // Wait until something is committed, then interrupt.
        var committed = 0
        for _ in 0..<200 where committed == 0 {
            try await Task.sleep(for: .milliseconds(50))
            committed = (try? await Prewarm.storedCount(db)) ?? 0
        }
        #expect(committed > 0)
        process.interrupt()
        let run = Self.finish(process, output, errors)
        #expect(run.status == 130)
        #expect(run.output.contains("interrupted: stopped after committing the batch in progress"))
        let replayed = try #require(run.output.split(separator: "\n").first { $0.hasPrefix("  replayed") }
            .flatMap { Int($0.split(separator: " ").last ?? "") })
        #expect(replayed < 200)
        #expect(try await Prewarm.storedCount(db) == replayed)
        #expect(run.output.contains("no answer \(200 - replayed)"))
        try await mock.stop()
        try? FileManager.default.removeItem(at: input)
    }
}
