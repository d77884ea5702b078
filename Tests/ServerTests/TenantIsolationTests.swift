import Foundation
import MockUpstream
import SemanticCache
import Store
import Testing
import Upstream

/// Entries are partitioned by credential (unless `--shared-cache`), and credentials never reach
/// the database, the logs or the admin endpoints.
@Suite struct TenantIsolationTests {
    static let keyA = ("authorization", "Bearer sk-tenant-a")
    static let keyB = ("authorization", "Bearer sk-tenant-b")
    static let probe = ("cache-control", "no-store")

    @Test(arguments: [false, true])
    func aSecondKeyNeverReceivesTheFirstKeysAnswers(shared: Bool) async throws {
        try await Harness.with(configure: { config in
            config.embedder = try? SharedModel.minilm()
            config.sharedCache = shared
        }) { harness in
            let question = SemanticHitTests.question, paraphrase = SemanticHitTests.paraphrase
            _ = try await harness.post("/v1/chat/completions", json: Harness.chat(question), headers: [Self.keyA])
            _ = try await harness.post("/v1/chat/completions", json: Harness.chat(question, stream: true), headers: [("x-api-key", "sk-ant-tenant-a")])
            // Key A itself hits, exactly and semantically.
            #expect(try await harness.post("/v1/chat/completions", json: Harness.chat(question), headers: [Self.keyA, Self.probe]).header("x-semcache") == "hit-exact")
            #expect(try await harness.post("/v1/chat/completions", json: Harness.chat(paraphrase), headers: [Self.keyA, Self.probe]).header("x-semcache") == "hit-semantic")

            let expected = shared ? ["hit-exact", "hit-semantic"] : ["miss", "miss"]
            for (index, text) in [question, paraphrase].enumerated() {
                for headers in [[Self.keyB], [("x-api-key", "sk-ant-tenant-b")]] {
                    let response = try await harness.post("/v1/chat/completions", json: Harness.chat(text), headers: headers + [Self.probe])
                    #expect(response.header("x-semcache") == expected[index], "\(headers.first?.0 ?? "none"): \(text)")
                }
            }
        }
    }

    /// Everything the sidecar writes that could hold a secret: the database, its logs, the traffic
    /// log (`serve --log-file`) and the admin answers (stats, export, entries, metrics, search).
    static func leakSurfaces(database: String, trafficLog: String, sidecar: SidecarProcess, adminBodies: [[UInt8]]) -> [(String, [UInt8])] {
        var surfaces: [(String, [UInt8])] = []
        if let bytes = FileManager.default.contents(atPath: trafficLog) { surfaces.append(("traffic log", Array(bytes))) }
        for suffix in ["", "-wal", "-shm"] {
            if let bytes = FileManager.default.contents(atPath: database + suffix) { surfaces.append(("database\(suffix)", Array(bytes))) }
        }
        surfaces.append(("stdout and stderr (log level trace)", sidecar.capturedOutput))
        for (index, body) in adminBodies.enumerated() { surfaces.append(("admin response \(index)", body)) }
        return surfaces
    }

    @Test func credentialsNeverReachTheDatabaseLogsOrStats() async throws {
        let secret = "sk-LEAK-CHECK-\(UUID().uuidString)"
        try await Harness.withMock { mock in
            let database = Harness.temporaryDatabase()
            let trafficLog = database + ".traffic.jsonl"
            let sidecar = try await SidecarProcess.launch(
                upstream: mock.baseURL, database: database,
                extraArguments: ["--log-level", "trace", "--embedder", "hash", "--log-file", trafficLog])
            let client = try UpstreamClient()
            func send(_ method: String, _ path: String, _ body: String, _ headers: [(String, String)]) async throws -> [UInt8] {
                let request = UpstreamRequest(
                    method: method, url: sidecar.baseURL + path,
                    headers: ([("content-type", "application/json")] + headers).map { (name: $0.0, value: $0.1) }, body: Array(body.utf8))
                return (try? await client.fetch(request).body) ?? []
            }
            let credentials: [[(String, String)]] = [[("authorization", "Bearer \(secret)")], [("x-api-key", secret)], [("api-key", secret)]]
            for headers in credentials {
                for body in [Harness.chat("leak check"), Harness.chat("leak check", stream: true), Harness.chat("leak check please")] {
                    _ = try await send("POST", "/v1/chat/completions", body, headers)
                    _ = try await send("POST", "/v1/chat/completions", body, headers)
                }
                _ = try await send("POST", "/v1/embeddings", #"{"model":"m","input":"leak"}"#, headers)
                _ = try await send("POST", "/v1/messages", #"{"model":"claude","max_tokens":9,"temperature":0,"messages":[{"role":"user","content":"leak"}]}"#, headers)
                for fault in ["500", "429", "drop", "drop-mid-stream"] {
                    _ = try await send("POST", "/v1/chat/completions", Harness.chat("fault \(fault)", stream: true), headers + [("x-mock-fault", fault)])
                }
                _ = try await send("POST", "/v1/chat/completions", "{broken json", headers)
                _ = try await send("POST", "/v1/chat/completions", Harness.chat("hot", temperature: "0.9"), headers)
                _ = try await send("GET", "/v1/models", "", headers)
                _ = try await send("POST", "/v1/chat/completions", Harness.chat("bad header"), headers + [("x-semcache-ttl", "never")])
            }
            let prewarmed = #"{"request":{"model":"m","temperature":0,"messages":[{"role":"user","content":"prewarmed leak check"}]},"response":{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}]}}"#
            var adminBodies: [[UInt8]] = [
                try await send("POST", "/_semcache/prewarm?format=pairs", prewarmed, [("x-semcache-partition-key", secret)]),
            ]
            for path in ["/_semcache/stats", "/_semcache/health", "/_semcache/search?q=leak+check", "/_semcache/export", "/_semcache/entries", "/metrics"] {
                adminBodies.append(try await send("GET", path, "", [("authorization", "Bearer \(secret)")]))
            }
            sidecar.signal(SIGTERM)
            #expect(try await sidecar.waitForExit() == 0)

            let surfaces = Self.leakSurfaces(database: database, trafficLog: trafficLog, sidecar: sidecar, adminBodies: adminBodies)
            let entries = try await CacheStore.open(path: database).usage().entries
            // The three headers carry one key, so one partition: two chats, embeddings, messages and the prewarmed entry.
            #expect(entries == 5, "the traffic and the prewarm stored entries, so the database is a real surface")
            #expect((FileManager.default.contents(atPath: trafficLog)?.count ?? 0) > 1000, "the traffic log has lines to search")
            #expect(String(decoding: adminBodies[4], as: UTF8.self).contains("leak check"), "the export holds the entries")
            #expect(sidecar.capturedOutput.count > 1000, "trace logging produced output to search")
            let needle = String(secret.dropFirst(3))  // "LEAK-CHECK-…", also catching a stripped "sk-"
            for (name, bytes) in surfaces {
                #expect(!String(decoding: bytes, as: UTF8.self).contains(needle), "the credential appears in \(name)")
            }
            client.shutdown()
            sidecar.removeCapturedOutput()
            try? FileManager.default.removeItem(atPath: trafficLog)
        }
    }
}
