import Foundation
import MockUpstream
import SemanticCache
import Testing

/// Prewarming end to end: records ingested into a running sidecar's pipeline (or through its
/// admin endpoint) answer live requests over real sockets.
@Suite struct PrewarmTests {
    @Test(arguments: [
        ["pairs.jsonl"], ["traffic.jsonl"], ["chrome-devtools.har"], ["playwright.har"], ["batch-input.jsonl", "batch-output.jsonl"],
    ])
    func everyStoredRecordAnswersALiveRequestExactly(files: [String]) async throws {
        try await Harness.with { harness in
            let records = try Prewarm.records(files)
            let outcomes = try await harness.sidecar.pipeline.ingest(records, options: Prewarm.options())
            let stored = zip(records, outcomes).compactMap { record, outcome in
                if case .stored = outcome { return record } else { return nil }
            }
            #expect(!stored.isEmpty, "\(files) should store something")
            for record in stored {
                let response = try await Prewarm.ask(harness, record)
                #expect(response.status == 200, "\(record.source)")
                #expect(response.header("x-semcache") == "hit-exact", "\(record.source)")
                let answer = try #require(record.response)
                if answer.isStream == (record.request["stream"]?.bool == true) {
                    if answer.isStream {
                        #expect(response.body == answer.body, "\(record.source)")
                    } else {
                        #expect(response.json == (try JSONValue.parse(answer.body)), "\(record.source)")
                    }
                }
            }
            #expect(harness.mock.requestCount(path: "/v1/chat/completions") + harness.mock.requestCount(path: "/v1/messages") == 0)
        }
    }

    @Test func aParaphraseOfAPrewarmedPromptIsASemanticHit() async throws {
        let harness = try await SemanticHitTests.start()
        let line = #"{"request":\#(Harness.chat(SemanticHitTests.question)),"response":{"id":"c1","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Use reversed() or list.reverse()."},"finish_reason":"stop"}]}}"#
        let result = try await Prewarm.run([.bytes(Array(line.utf8), name: "paraphrase.jsonl")], format: .pairs, into: harness.sidecar.pipeline)
        #expect(result.summary.stored == 1)
        #expect(harness.sidecar.pipeline.semantic?.count == 1)
        let response = try await harness.post("/v1/chat/completions", json: Harness.chat(SemanticHitTests.paraphrase))
        #expect(response.header("x-semcache") == "hit-semantic")
        #expect(response.json?["choices"]?[0]?["message"]?["content"] == "Use reversed() or list.reverse().")
        #expect(harness.mock.requestCount(path: "/v1/chat/completions") == 0)
        try await harness.stop()
    }

    @Test func theSameFileTwiceAddsNothing() async throws {
        let harness = try await Harness.start()
        let pipeline = harness.sidecar.pipeline
        let first = try await Prewarm.run([.file(Prewarm.fixture("pairs.jsonl"))], into: pipeline)
        let entries = pipeline.indexedEntries
        let second = try await Prewarm.run([.file(Prewarm.fixture("pairs.jsonl"))], into: pipeline)
        #expect(first.summary.stored == 6 && first.summary.duplicates == 0)
        #expect(second.summary.stored == 0 && second.summary.duplicates == 6)
        #expect(pipeline.indexedEntries == entries)
        try await harness.stopSidecar()
        #expect(try await Prewarm.storedCount(harness.databasePath) == 6)
        try await harness.mock.stop()
        harness.client.shutdown()
    }

    @Test func malformedLinesAreReportedWithTheirLineNumbersAndTheRunGoesOn() async throws {
        try await Harness.with { harness in
            let result = try await Prewarm.run([.file(Prewarm.fixture("pairs.jsonl"))], into: harness.sidecar.pipeline, batchSize: 2)
            #expect(result.end == .finished)
            #expect(result.summary.read == 12)
            #expect(result.summary.stored == 6)
            #expect(result.summary.skipped == [.malformed: 3, .notCacheable: 1, .failedAnswer: 1, .noAnswer: 1])
            #expect(result.summary.firstMalformed.map(\.source.line) == [5, 7, 12])
        }
    }

    @Test func anInterruptedRunKeepsTheBatchesItCommitted() async throws {
        let harness = try await Harness.start()
        var seen = 0
        let result = try await Prewarm.run(
            [.bytes(Prewarm.pairsLines(10), name: "ten.jsonl")], format: .pairs, into: harness.sidecar.pipeline, batchSize: 2,
            shouldStop: {
                seen += 1
                return seen > 5  // checked before each record: stop with five read
            })
        #expect(result.end == .interrupted)
        #expect(result.summary.read == 5)
        #expect(result.summary.stored == 5)  // two full batches, and the one in progress
        try await harness.stopSidecar()
        #expect(try await Prewarm.storedCount(harness.databasePath) == 5)
        try await harness.mock.stop()
        harness.client.shutdown()
    }

    @Test func theAdminEndpointMakesEntriesHitAtOnce() async throws {
        try await Harness.with { harness in
            let body = try Array(Data(contentsOf: URL(fileURLWithPath: Prewarm.fixture("pairs.jsonl"))))
            let headers = [("content-type", "application/x-ndjson"), ("x-semcache-partition-key", Prewarm.apiKey)]
            let posted = try await harness.request("POST", "/_semcache/prewarm?format=pairs", headers: headers, body: body)
            #expect(posted.status == 200)
            let summary = try #require(posted.json)
            #expect(summary["read"] == 12 && summary["stored"] == 6 && summary["duplicates"] == 0)
            #expect(summary["skipped"]?["malformed"] == 3)
            #expect(summary["issues"]?.array?.compactMap { $0["line"]?.int } == [5, 7, 8, 10, 11, 12])
            let france = try #require(try Prewarm.records(["pairs.jsonl"]).first)
            #expect(try await Prewarm.ask(harness, france).header("x-semcache") == "hit-exact")
            let again = try await harness.request("POST", "/_semcache/prewarm", headers: headers, body: body)
            #expect(again.json?["stored"] == 0 && again.json?["duplicates"] == 6)
        }
    }

    @Test func theAdminEndpointRefusesWhatItCannotRead() async throws {
        try await Harness.with(configure: { $0.maxRequestBodyBytes = 4096 }) { harness in
            let tooLarge = try await harness.request("POST", "/_semcache/prewarm", body: Prewarm.pairsLines(40))
            #expect(tooLarge.status == 413 && tooLarge.text.contains("--max-body-bytes"))
            let unknown = try await harness.request("POST", "/_semcache/prewarm?format=csv", body: Array("a,b".utf8))
            #expect(unknown.status == 400 && unknown.text.contains("format must be"))
            let undetectable = try await harness.request("POST", "/_semcache/prewarm", body: Array("hello\nworld\n".utf8))
            #expect(undetectable.status == 400 && undetectable.text.contains("pass --format"))
            let badNamespace = try await harness.request("POST", "/_semcache/prewarm", headers: [("x-semcache-namespace", "a b")], body: Prewarm.pairsLines(1))
            #expect(badNamespace.status == 400 && badNamespace.text.contains("X-Semcache-Namespace"))
        }
    }

    @Test func entriesArePartitionedByTheGivenKeyAndNamespace() async throws {
        try await Harness.with { harness in
            let record = try #require(try Prewarm.records(["pairs.jsonl"]).first)
            let options = PrewarmIngestOptions(partition: PrewarmPartition(namespace: "team-a", apiKey: Prewarm.apiKey))
            _ = try await harness.sidecar.pipeline.ingest([record], options: options)
            #expect(try await Prewarm.ask(harness, record).header("x-semcache") == "miss")
            #expect(try await Prewarm.ask(harness, record, headers: [("x-semcache-namespace", "team-a")]).header("x-semcache") == "hit-exact")
            let otherKey = try await harness.post(
                "/v1/chat/completions", json: String(decoding: record.request.compactBytes, as: UTF8.self),
                headers: [("authorization", "Bearer sk-other"), ("x-semcache-namespace", "team-a")])
            #expect(otherKey.header("x-semcache") == "miss")
        }
    }

    @Test func withoutReplayNothingReachesTheUpstream() async throws {
        try await Harness.with { harness in
            let result = try await Prewarm.run([.file(Prewarm.fixture("pairs.jsonl"))], into: harness.sidecar.pipeline)
            #expect(result.summary.replayed == 0)
            #expect(result.summary.skipped[.noAnswer] == 1)
            #expect(harness.mock.requestCount(path: "/v1/chat/completions") == 0)
        }
    }

    @Test func replayingSendsEveryRecordUpstreamAndStoresTheFreshAnswers() async throws {
        try await Harness.with { harness in
            let replay = PrewarmReplay(apiKey: Prewarm.apiKey, namespace: nil, ttlSeconds: nil)
            let result = try await Prewarm.run([.file(Prewarm.fixture("pairs.jsonl"))], into: harness.sidecar.pipeline, replaying: replay)
            let chatRecords = try Prewarm.records(["pairs.jsonl"]).filter { $0.endpoint == .chatCompletions }.count
            #expect(result.summary.replayed >= 1)
            #expect(result.summary.skipped[.noAnswer] == nil)
            #expect(harness.mock.requestCount(path: "/v1/chat/completions") == chatRecords)
            #expect(harness.mock.lastRequestHeaders(path: "/v1/chat/completions").contains { $0.0.lowercased() == "authorization" && $0.1 == "Bearer \(Prewarm.apiKey)" })
            let austria = try #require(try Prewarm.records(["pairs.jsonl"]).first { $0.response == nil })
            #expect(try await Prewarm.ask(harness, austria).header("x-semcache") == "hit-exact")
            #expect(harness.mock.requestCount(path: "/v1/chat/completions") == chatRecords)
        }
    }

    @Test func theTrafficLogOfOneSidecarPrewarmsAnother() async throws {
        let logPath = FileManager.default.temporaryDirectory.appendingPathComponent("semcache-traffic-\(UUID().uuidString).jsonl").path
        let writer = try TrafficLogWriter(path: logPath, logger: Harness.quietLogger)
        let questions = ["What is the capital of Peru?", "What is the capital of Chile?"]
        let answers = try await Harness.with(configure: { $0.trafficLog = writer }) { recording in
            for question in questions {
                _ = try await recording.post("/v1/chat/completions", json: Harness.chat(question))
            }
            _ = try await recording.post("/v1/chat/completions", json: Harness.chat(questions[0], stream: true))
            _ = try await recording.post("/v1/chat/completions", json: Harness.chat("Poem", temperature: "0.9"))
            return try await questions.asyncMap { try await recording.post("/v1/chat/completions", json: Harness.chat($0)) }
        }  // stopping it closes the log

        let lines = try String(contentsOfFile: logPath, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 5)  // 2 misses, a streamed hit, 2 hits; the bypass is not logged
        #expect(!lines.contains { $0.contains("sk-test-key") })
        try await Harness.with { fresh in
            let result = try await Prewarm.run([.file(logPath)], into: fresh.sidecar.pipeline)
            #expect(result.summary.stored == 2 && result.summary.duplicates == 3)
            for (question, recorded) in zip(questions, answers) {
                let response = try await fresh.post("/v1/chat/completions", json: Harness.chat(question))
                #expect(response.header("x-semcache") == "hit-exact")
                #expect(response.json == recorded.json)
            }
        }
        try? FileManager.default.removeItem(atPath: logPath)
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
