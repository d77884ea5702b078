import Foundation
import MockUpstream
import SemanticCache
import Testing

/// `semcache prewarm` as a user runs it: the real binary (`swift build` puts it in
/// `.build/debug/semcache`) as a subprocess.
@Suite struct PrewarmCLITests {
    /// Starts `semcache prewarm arguments…`; `PREWARM_KEY` holds the harness's API key.
    static func launch(_ arguments: [String]) throws -> (Process, Pipe, Pipe) {
        try CLIRun.launch(["prewarm"] + arguments, environment: ["PREWARM_KEY": Prewarm.apiKey])
    }

    static func finish(_ process: Process, _ output: Pipe, _ errors: Pipe) -> CLIRun {
        CLIRun.finish(process, output, errors)
    }

    static func run(_ arguments: [String]) throws -> CLIRun {
        try CLIRun.run(["prewarm"] + arguments, environment: ["PREWARM_KEY": Prewarm.apiKey])
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

    @Test func prewarmingARunningSidecarOverHTTPSendsNothingUpstreamWithoutReplay() async throws {
        try await Harness.with { harness in
            let files = [Prewarm.fixture("batch-input.jsonl"), Prewarm.fixture("batch-output.jsonl")]
            let dryRun = try Self.run(["--url", harness.baseURL, "--api-key-env", "PREWARM_KEY", "--dry-run"] + files)
            let run = try Self.run(["--url", harness.baseURL, "--api-key-env", "PREWARM_KEY"] + files)
            #expect(run.status == 0, "\(run.errors)")
            #expect(run.output.contains("  stored             2\n"))
            #expect(!run.output.contains("replayed"))
            // The dry run and the real run agree on what has no answer, and nothing reached the upstream.
            #expect(dryRun.output.contains("no answer 2") && run.output.contains("no answer 2"))
            #expect(harness.mock.requestCount(path: "/v1/chat/completions") == 0)
            #expect(harness.mock.requestCount(path: "/v1/embeddings") == 0)
            // Judged by the sidecar, reported with the line it was read from.
            #expect(run.output.contains("batch-input.jsonl:4: request not understood"))
            for record in try Prewarm.records(["batch-input.jsonl", "batch-output.jsonl"]) where record.request["messages"]?.array != nil {
                guard record.response != nil, record.request["temperature"] == 0 else { continue }
                #expect(try await Prewarm.ask(harness, record).header("x-semcache") == "hit-exact", "\(record.source)")
            }
        }
    }

    @Test func replayingThroughARunningSidecarRefreshesEveryRecord() async throws {
        try await Harness.with { harness in
            let files = [Prewarm.fixture("batch-input.jsonl"), Prewarm.fixture("batch-output.jsonl")]
            let records = try Prewarm.records(["batch-input.jsonl", "batch-output.jsonl"])
            let run = try Self.run(["--url", harness.baseURL, "--api-key-env", "PREWARM_KEY", "--replay"] + files)
            #expect(run.status == 0, "\(run.errors)")
            #expect(run.output.contains("  stored             0\n"))
            #expect(!run.output.contains("no answer"))
            // Every record went upstream once, those with an answer in the log too.
            let sent = harness.mock.requestCount(path: "/v1/chat/completions") + harness.mock.requestCount(path: "/v1/embeddings")
            #expect(sent == records.count)
            for record in records where record.request["messages"]?.array != nil && record.request["temperature"] == 0 {
                #expect(try await Prewarm.ask(harness, record).header("x-semcache") == "hit-exact", "\(record.source)")
            }
        }
    }

    @Test func prewarmingADatabaseNeedsReplayToUseTheUpstream() throws {
        let run = try Self.run(["--db", Harness.temporaryDatabase(), "--upstream", "http://127.0.0.1:9", Prewarm.fixture("pairs.jsonl")])
        #expect(run.status != 0 && run.errors.contains("--upstream is only used with --replay"))
    }

    @Test func ctrlCStopsAfterTheBatchInProgressAndKeepsWhatWasStored() async throws {
        try await Harness.withMock(.init(latency: .milliseconds(100))) { mock in
            let db = Harness.temporaryDatabase()
            let input = FileManager.default.temporaryDirectory.appendingPathComponent("semcache-unanswered-\(UUID().uuidString).jsonl")
            // 1,000 lines at 20/s take 50 s: a loaded machine that is slow to commit the first batch still
            // interrupts the run long before its end.
            let total = 1_000
            var lines = ""
            for number in 1...total {
                lines += #"{"endpoint":"/v1/chat/completions","request":{"model":"gpt-4o-mini","temperature":0,"messages":[{"role":"user","content":"Unanswered \#(number)"}]}}"# + "\n"
            }
            try Data(lines.utf8).write(to: input)
            let (process, output, errors) = try Self.launch([
                "--db", db, "--embedder", "none", "--replay", "--upstream", mock.baseURL, "--rate", "20/s", "--concurrency", "2",
                "--api-key-env", "PREWARM_KEY", "--format", "pairs", input.path,
            ])
            // Wait until something is committed, then interrupt.
            var committed = 0
            for _ in 0..<600 where committed == 0 {
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
            #expect(replayed < total)
            #expect(try await Prewarm.storedCount(db) == replayed)
            // The records read so far that were not replayed are reported unanswered; the rest of the file is never read.
            let read = try #require(run.output.split(separator: "\n").first { $0.hasPrefix("read ") }
                .flatMap { Int($0.split(separator: " ")[1]) })
            #expect(read < total)
            #expect(run.output.contains("no answer \(read - replayed)"))
            try? FileManager.default.removeItem(at: input)
        }
    }
}
