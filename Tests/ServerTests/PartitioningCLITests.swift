import Foundation
import MockUpstream
import SemanticCache
import Testing
import Upstream

/// The partitioning mode is recorded in the database: `prewarm --db` follows it, `serve` refuses the other one.
@Suite struct PartitioningCLITests {
    @Test func prewarmFollowsASharedDatabaseAndServeRefusesTheOtherMode() async throws {
        let database = Harness.temporaryDatabase()
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) } }
        try await Harness.withMock { mock in
            // A sidecar run with --shared-cache makes the database a shared one.
            try await SidecarProcess.launch(upstream: mock.baseURL, database: database, extraArguments: ["--shared-cache"]).stop()

            // The obvious command: no --shared-cache on prewarm.
            let prewarm = try CLIRun.run(
                ["prewarm", "--db", database, "--embedder", "none", "--api-key-env", "PREWARM_KEY", Prewarm.fixture("pairs.jsonl")],
                environment: ["PREWARM_KEY": Prewarm.apiKey])
            #expect(prewarm.status == 0, "\(prewarm.errors)")
            #expect(prewarm.output.contains("partitioning: shared between API keys"))

            let sidecar = try await SidecarProcess.launch(upstream: mock.baseURL, database: database, extraArguments: ["--shared-cache"])
            let record = try #require(try Prewarm.records(["pairs.jsonl"]).first { $0.response != nil && $0.endpoint == .chatCompletions })
            let client = try UpstreamClient()
            let response = try await client.fetch(UpstreamRequest(
                method: "POST", url: sidecar.baseURL + record.endpoint.path,
                headers: [(name: "content-type", value: "application/json"), (name: "authorization", value: "Bearer sk-someone-else")],
                body: record.request.compactBytes))
            client.shutdown()
            try await sidecar.stop()
            #expect(response.headers.first { $0.name.lowercased() == "x-semcache" }?.value == "hit-exact")

            let refused = try CLIRun.run(["serve", "--upstream", mock.baseURL, "--port", "0", "--db", database, "--embedder", "none"])
            #expect(refused.status == 1)
            #expect(refused.errors.contains("is shared between API keys (it was filled with --shared-cache)"), "\(refused.errors)")
        }
    }
}
