import Foundation
import MockUpstream
import Store
import Testing
import Upstream

/// The real binary: kill -9 under write load, and a graceful stop on SIGTERM.
@Suite struct ProcessLifecycleTests {
    static func post(_ client: UpstreamClient, _ baseURL: String, _ body: String, headers: [(String, String)] = []) async throws -> Harness.Response {
        let request = UpstreamRequest(
            method: "POST", url: baseURL + "/v1/chat/completions",
            headers: ([("content-type", "application/json"), ("authorization", "Bearer sk-crash")] + headers).map { (name: $0.0, value: $0.1) },
            body: Array(body.utf8))
        let response = try await client.fetch(request)
        return Harness.Response(status: response.status, headers: response.headers, body: response.body)
    }

    @Test func killMinus9UnderWriteLoadLosesNoCommittedEntry() async throws {
        try await Harness.withMock { mock in
            let database = Harness.temporaryDatabase()
            let sidecar = try await SidecarProcess.launch(upstream: mock.baseURL, database: database)
            let client = try UpstreamClient()
            let answered = SlowSendProgress()
            let baseURL = sidecar.baseURL
            let writers = (0..<6).map { writer in
                Task {
                    for index in 0..<10_000 {
                        guard let response = try? await Self.post(client, baseURL, Harness.chat("crash write \(writer)-\(index)")), response.status == 200 else { return }
                        answered.sent += 1
                    }
                }
            }
            while answered.sent < 300 { try await Task.sleep(for: .milliseconds(10)) }
            // A second connection sees what is committed; everything it sees must survive the kill.
            let observer = try await CacheStore.open(path: database)
            let committed = try await observer.entryIDs()
            sidecar.signal(SIGKILL)
            #expect(try await sidecar.waitForExit() != 0)
            for writer in writers { await writer.value }
            #expect(committed.count >= 100)

            let restarted = try await SidecarProcess.launch(upstream: mock.baseURL, database: database)
            let reopened = try await CacheStore.open(path: database)
            #expect(try await reopened.integrityCheck() == "ok")
            let survived = Set(try await reopened.entryIDs())
            #expect(Set(committed).isSubset(of: survived), "\(Set(committed).subtracting(survived).count) committed entries lost")
            // A committed entry still answers its request.
            let sample = try #require(try await reopened.entry(id: committed[committed.count / 2])?.entry.prompt)
            let replay = try await Self.post(client, restarted.baseURL, Harness.chat(sample))
            #expect(replay.header("x-semcache") == "hit-exact")

            restarted.signal(SIGTERM)
            #expect(try await restarted.waitForExit() == 0)
            client.shutdown()
            sidecar.removeCapturedOutput()
            restarted.removeCapturedOutput()
        }
    }

    @Test func sigtermDrainsASlowRequestRefusesNewConnectionsAndExitsZero() async throws {
        try await Harness.withMock { mock in
            let database = Harness.temporaryDatabase()
            let sidecar = try await SidecarProcess.launch(upstream: mock.baseURL, database: database)
            let client = try UpstreamClient()
            let baseURL = sidecar.baseURL
            let slow = Task { try await Self.post(client, baseURL, Harness.chat("finish me after SIGTERM"), headers: [("x-mock-latency-ms", "2000")]) }
            while mock.requestCount(path: "/v1/chat/completions") == 0 { try await Task.sleep(for: .milliseconds(10)) }
            sidecar.signal(SIGTERM)
            var refused = false
            for _ in 0..<200 where !refused {
                refused = !RawHTTPConnection.accepts(port: sidecar.port)
                if !refused { try await Task.sleep(for: .milliseconds(5)) }
            }
            #expect(refused, "new connections are refused after SIGTERM")
            let response = try await slow.value
            #expect(response.status == 200)
            #expect(response.text.contains("finish me after SIGTERM"))
            #expect(try await sidecar.waitForExit() == 0)
            // Its answer was written before the exit.
            let store = try await CacheStore.open(path: database)
            #expect(try await store.usage().entries == 1)
            client.shutdown()
            sidecar.removeCapturedOutput()
        }
    }
}
