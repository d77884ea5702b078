import Foundation
import MockUpstream
import SemanticCache
import TestSupport
import Testing
import Upstream

/// The real `semcache` binary (built by `swift build`) against a sidecar after known traffic:
/// `stats` text with the expected numbers, the same from the file, and `entries`, `purge`, `export`.
@Suite(.serialized) struct StatsCommandTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs `semcache ARGS`; returns its exit status, standard output and standard error.
    static func semcache(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let binary = packageRoot.appendingPathComponent(".build/debug/semcache")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the CLI first: swift build --product semcache")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SEMCACHE_") }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try ProcessLaunch.run(process)
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let error = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self))
    }

    /// Masks what depends on timing (latencies, upstream time, ages) and collapses runs of
    /// spaces, so the rest can be compared exactly.
    static func masked(_ text: String) -> String {
        var result = text
        for (pattern, replacement) in [
            (#"[0-9.]+ (µs|ms|s|min|h)\b"#, "<time>"),
            (#"(?m)^(\d+ +\d+ +)\d+[smhd]\b"#, "$1<age>"),
            (#" {2,}"#, "  "),
        ] {
            result = result.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        }
        return result.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The expected output for ``KnownTraffic`` (tokens from the mock's usage, prices from the
    /// built-in table: 2 × gpt-4o-mini (12 + 21 tokens) + gpt-4o (10 + 20) + 3 embedding tokens).
    static let golden = """
        semcache stats, last 1h
          requests   12  (hits 4: 4 exact, 0 semantic · coalesced 0 · misses 4 · bypasses 2 · pass-through 1)
          hit rate   50.0%  ((hits + coalesced) / (hits + coalesced + misses))
          saved      99 tokens (37 prompt, 62 completion) · $0.000254 · 8.6 ms of upstream time
          latency    hit p50 1.8 ms, p99 2.5 ms · miss overhead p50 438 µs, p99 2.5 ms
          store      3 entries, 1.0 KiB (3 stored, 0 purged in the window)
          bypasses   mode-off 1 · nondeterministic 1
          errors     upstream 1 · store 0 · embedder 0

        top models
        model                   requests  hits  misses  hit rate  tokens saved  saved
        gpt-4o-mini             6         2     2       50.0%     66            $0.000029
        gpt-4o                  2         1     1       50.0%     30            $0.000225
        text-embedding-3-small  2         1     1       50.0%     3             <$0.000001

        top entries
        id  hits  age  size   model                   namespace  saved       prompt
        1   2     0s   445 B  gpt-4o-mini             -          $0.000029   What is the capital of France?
        3   1     0s   183 B  text-embedding-3-small  -          <$0.000001  (/v1/embeddings)
        2   1     0s   433 B  gpt-4o                  -          $0.000225   Name three primary colors
        """

    @Test func statsPrintsTheExpectedNumbersFromTheSidecarAndFromTheFile() async throws {
        let harness = try await Harness.start()
        _ = try await KnownTraffic.send(through: harness)
        try await harness.settle(requests: 12, entries: 3)
        let live = try Self.semcache(["stats", "--url", harness.baseURL, "--since", "1h"])
        #expect(live.status == 0, "\(live.err)")
        #expect(Self.masked(live.out) == Self.masked(Self.golden), "\(live.out)")

        try await harness.stopSidecar()
        let offline = try Self.semcache(["stats", "--db", harness.databasePath, "--since", "1h"])
        #expect(offline.status == 0, "\(offline.err)")
        #expect(Self.masked(offline.out) == Self.masked(Self.golden), "\(offline.out)")
        let json = try Self.semcache(["stats", "--db", harness.databasePath, "--json"])
        #expect(json.out.contains(#""hit_exact":4"#))
        try await harness.mock.stop()
        harness.client.shutdown()
    }

    /// Models the price table does not know show "no price", not a guess and not $0.
    @Test func unpricedModelsShowNoPrice() async throws {
        try await Harness.with { harness in
            let body = Harness.chat("What is the capital of France?", model: "my-local-llama")
            _ = try await harness.post("/v1/chat/completions", json: body)
            try await harness.settle(requests: 1, entries: 1)
            #expect(try await harness.post("/v1/chat/completions", json: body).header("x-semcache") == "hit-exact")
            try await harness.settle(requests: 2, entries: 1)
            let text = try Self.semcache(["stats", "--url", harness.baseURL, "--since", "1h"])
            #expect(text.status == 0, "\(text.err)")
            #expect(text.out.contains("· $0.00 (no price: my-local-llama) ·"), "\(text.out)")
            let modelRow = try #require(text.out.split(separator: "\n").first { $0.hasPrefix("my-local-llama") })
            #expect(modelRow.hasSuffix("no price"))
            let entryRow = try #require(text.out.split(separator: "\n").first { $0.contains("What is the capital of France?") })
            #expect(entryRow.contains("no price"))
            let json = try #require(try await harness.request("GET", "/_semcache/stats?since=1h").json)
            #expect(json["saved"]?["unpriced_models"] == .array([.string("my-local-llama")]))
            #expect(json["models"]?[0]?["cost_saved_usd"] == .null)
            #expect(json["models"]?[0]?["priced"] == .bool(false))
            #expect(json["top_entries"]?[0]?["cost_saved_usd"] == .null)
        }
    }

    /// `serve --prices FILE` replaces the built-in table: the file's models are priced, the rest
    /// (gpt-4o-mini here) have no price; `semcache prices --prices FILE` prints it with its dates.
    @Test func aPriceFileReplacesTheBuiltInTable() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("semcache-prices-\(UUID().uuidString).json").path
        let table = #"{"as_of":"2030-01","models":{"my-local-llama":{"input":1000,"output":2000,"as_of":"2029-12"}}}"#
        try table.write(toFile: file, atomically: true, encoding: .utf8)
        let printed = try Self.semcache(["prices", "--prices", file])
        #expect(printed.out.contains(#""my-local-llama":{"input":1000,"output":2000,"as_of":"2029-12"}"#), "\(printed.out)")

        let mock = try await MockUpstreamServer.start()
        let database = Harness.temporaryDatabase()
        let sidecar = try await SidecarProcess.launch(upstream: mock.baseURL, database: database, extraArguments: ["--prices", file])
        let client = try UpstreamClient()
        func tearDown() async throws {
            sidecar.signal(SIGTERM)
            _ = try await sidecar.waitForExit()
            try await mock.stop()
            client.shutdown()
            for path in [file, database, database + "-wal", database + "-shm"] { try? FileManager.default.removeItem(atPath: path) }
        }
        let report: (status: Int32, out: String, err: String)
        do {
            for (index, model) in ["my-local-llama", "gpt-4o-mini"].enumerated() {
                let body = Harness.chat("What is the capital of France?", model: model)
                _ = try await ProcessLifecycleTests.post(client, sidecar.baseURL, body)
                for _ in 0..<500 {  // the miss is stored just after its answer; bounded wait
                    let stats = try await client.fetch(UpstreamRequest(method: "GET", url: sidecar.baseURL + "/_semcache/stats?since=1h"))
                    if try JSONValue.parse(stats.body)["stored"]?["entries"]?.int == index + 1 { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
                _ = try await ProcessLifecycleTests.post(client, sidecar.baseURL, body)
            }
            report = try Self.semcache(["stats", "--url", sidecar.baseURL, "--json"])
        } catch {
            try await tearDown()
            throw error
        }
        try await tearDown()

        let json = try JSONValue.parse(Array(report.out.utf8))
        let models = try #require(json["models"]?.array)
        let llama = try #require(models.first { $0["model"] == "my-local-llama" })
        #expect(llama["hits"] == 1 && llama["priced"] == .bool(true))
        #expect((llama["cost_saved_usd"]?.double ?? 0) > 0)
        let mini = try #require(models.first { $0["model"] == "gpt-4o-mini" })
        #expect(mini["hits"] == 1 && mini["cost_saved_usd"] == .null)
        #expect(json["prices_as_of"] == "2030-01")
        #expect(json["saved"]?["unpriced_models"] == .array(["gpt-4o-mini"]))
    }

    /// Without a sidecar at the URL the error says so (not "upstream") and points at --db.
    @Test func statsWithoutASidecarSaysSoAndSuggestsTheFile() async throws {
        let stopped = try await Harness.start()
        let url = stopped.baseURL
        try await stopped.stop()  // nothing listens on its port any more
        let result = try Self.semcache(["stats", "--url", url])
        #expect(result.status != 0)
        #expect(result.err.contains("no semcache sidecar answers at \(url)"), "\(result.err)")
        #expect(result.err.contains("--db PATH"))
        #expect(!result.err.lowercased().contains("upstream"))
        let search = try Self.semcache(["search", "hello", "--url", url])
        #expect(search.err.contains("no semcache sidecar answers at \(url)") && !search.err.contains("--db"), "\(search.err)")
    }

    @Test func entriesPurgeAndExportFromTheCommandLine() async throws {
        let harness = try await Harness.start()
        try await EntriesPurgeTests.fill(harness)
        let listed = try Self.semcache(["entries", "--url", harness.baseURL, "--model", "gpt-4o"])
        #expect(listed.status == 0, "\(listed.err)")
        #expect(listed.out.contains("Name three primary colors") && !listed.out.contains("capital of France"))

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("semcache-export-\(UUID().uuidString).jsonl").path
        let exported = try Self.semcache(["export", "--url", harness.baseURL, "--out", file])
        #expect(exported.out.trimmingCharacters(in: .newlines) == "exported 3 entries to \(file)")
        #expect(try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").count == 3)

        let id = try #require(try await harness.post("/v1/chat/completions", json: KnownTraffic.france).header("x-semcache-entry"))
        let purged = try Self.semcache(["purge", "--url", harness.baseURL, "--id", id])
        #expect(purged.out.trimmingCharacters(in: .newlines) == "purged 1 entry (\(id))")
        #expect(try await harness.post("/v1/chat/completions", json: KnownTraffic.france).header("x-semcache") == "miss")

        let refused = try Self.semcache(["purge", "--url", harness.baseURL])
        #expect(refused.status != 0)
        #expect(refused.err.contains("--all"))

        try await harness.settle(requests: 6, entries: 3)
        try await harness.stopSidecar()
        let offline = try Self.semcache(["purge", "--db", harness.databasePath, "--namespace", "team-a"])
        #expect(offline.status == 0, "\(offline.err)")
        #expect(offline.out.hasPrefix("purged 1 entry"))
        let remaining = try Self.semcache(["entries", "--db", harness.databasePath, "--json"])
        #expect(!remaining.out.contains("2 + 2") && remaining.out.contains("capital of France"))
        try await harness.mock.stop()
        harness.client.shutdown()
    }
}
