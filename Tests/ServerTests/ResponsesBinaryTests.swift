import Foundation
import MockUpstream
import Testing
import Upstream

/// The `semcache` binary announces and caches the Responses API.
@Suite struct ResponsesBinaryTests {
    @Test func theStartupLineListsTheResponsesAPIAndTheBinaryCachesIt() async throws {
        let mock = try await MockUpstreamServer.start()
        let database = Harness.temporaryDatabase()
        let client = try UpstreamClient()
        var sidecar: SidecarProcess?
        do {
            let launched = try await SidecarProcess.launch(upstream: mock.baseURL, database: database)
            sidecar = launched
            let output = String(decoding: launched.capturedOutput, as: UTF8.self)
            #expect(output.contains("exact hits on POST /v1/chat/completions, /v1/completions, /v1/embeddings, /v1/messages, /v1/responses;"), "\(output)")
            var seen: [String?] = []
            for _ in 0..<2 {
                let response = try await client.fetch(UpstreamRequest(
                    method: "POST", url: launched.baseURL + "/v1/responses",
                    headers: [(name: "content-type", value: "application/json"), (name: "authorization", value: "Bearer sk-binary")],
                    body: Array(ResponsesAPITests.body("What is the capital of Chile?").utf8)))
                seen.append(response.headers.first { $0.name.lowercased() == "x-semcache" }?.value)
            }
            #expect(seen == ["miss", "hit-exact"])
            launched.signal(SIGTERM)
            #expect(try await launched.waitForExit() == 0)
        } catch {
            Issue.record(error)
        }
        if let sidecar, sidecar.process.isRunning { sidecar.signal(SIGKILL) }
        sidecar?.removeCapturedOutput()
        client.shutdown()
        try await mock.stop()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
    }
}
