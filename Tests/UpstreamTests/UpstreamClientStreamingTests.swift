import MockUpstream
import Testing
import Upstream

@Suite(.timeLimit(.minutes(1)))
struct UpstreamClientStreamingTests {
    private func gatedStream(_ server: MockUpstreamServer, gate: String) throws -> UpstreamRequest {
        UpstreamRequest(
            method: "POST", url: server.baseURL + "/v1/chat/completions",
            headers: [("Content-Type", "application/json"), ("X-Mock-Stream-Gate", gate)],
            body: try chatBody("Tell me a story", stream: true)
        )
    }

    @Test func firstEventArrivesWhileTheRestIsHeldBack() async throws {
        try await withMockUpstream { server, client in
            var iterator = client.send(try gatedStream(server, gate: "first-event")).makeAsyncIterator()
            guard case .head(let status, let headers) = try await iterator.next() else {
                Issue.record("the head must come first")
                return
            }
            #expect(status == 200)
            #expect(header("content-type", in: headers).first?.hasPrefix("text/event-stream") == true)
            guard case .body(let first) = try await iterator.next() else {
                Issue.record("the first event must arrive before the gate opens")
                return
            }
            #expect(String(decoding: first, as: UTF8.self).hasPrefix("data: {"))
            server.releaseGate("first-event")
            var rest: [UInt8] = []
            while let event = try await iterator.next() {
                if case .body(let chunk) = event { rest += chunk }
            }
            #expect(serverSentEvents(rest).last?.data == "[DONE]")
        }
    }

    @Test func connectionRefusedNamesTheUpstreamAndTheCause() async throws {
        let closed = try await MockUpstreamServer.start()
        let url = closed.baseURL
        try await closed.stop()
        let client = try UpstreamClient()
        defer { client.shutdown() }
        let error = try await expectUpstreamError {
            _ = try await client.fetch(UpstreamRequest(url: url + "/v1/models?key=secret"))
        }
        #expect(error.kind == .cannotConnect)
        #expect(error.upstream == url)
        #expect(error.description.contains(url))
        #expect(error.description.contains("onnect"))
        #expect(!error.description.contains("secret"))
    }

    @Test func slowFirstByteTimesOut() async throws {
        try await withMockUpstream { server, client in
            let error = try await expectUpstreamError {
                _ = try await client.fetch(UpstreamRequest(
                    url: server.baseURL + "/anything/slow",
                    headers: [("X-Mock-Fault", "slow-first-byte"), ("X-Mock-Delay-Ms", "20000")],
                    timeouts: UpstreamTimeouts(firstByte: .milliseconds(200))
                ))
            }
            #expect(error.isTimeout)
            #expect(error.timeoutPhase == .firstByte)
        }
    }

    @Test func stalledStreamTimesOutAsIdleAfterTheFirstChunks() async throws {
        try await withMockUpstream { server, client in
            var request = try gatedStream(server, gate: "never-released")
            request.timeouts = UpstreamTimeouts(idle: .milliseconds(200))
            var bodyChunks = 0
            let error = try await expectUpstreamError {
                for try await event in client.send(request) {
                    if case .body = event { bodyChunks += 1 }
                }
            }
            #expect(error.timeoutPhase == .idle)
            #expect(bodyChunks >= 1)
        }
    }

    @Test func droppedStreamFailsAfterTheFirstChunks() async throws {
        try await withMockUpstream { server, client in
            var received: [UInt8] = []
            let error = try await expectUpstreamError {
                let request = UpstreamRequest(
                    method: "POST", url: server.baseURL + "/v1/chat/completions",
                    headers: [("Content-Type", "application/json"), ("X-Mock-Fault", "drop-mid-stream")],
                    body: try chatBody("Tell me a story", stream: true)
                )
                for try await event in client.send(request) {
                    if case .body(let chunk) = event { received += chunk }
                }
            }
            #expect(error.kind == .transferFailed)
            #expect(!serverSentEvents(received).isEmpty)
            #expect(!String(decoding: received, as: UTF8.self).contains("[DONE]"))
        }
    }

    @Test func droppedConnectionWithoutAnswerFails() async throws {
        try await withMockUpstream { server, client in
            let error = try await expectUpstreamError {
                _ = try await client.fetch(UpstreamRequest(url: server.baseURL + "/anything/x", headers: [("X-Mock-Fault", "drop")]))
            }
            #expect(error.kind == .transferFailed)
        }
    }

    /// With one transfer slot, the next request can only run once the abandoned one has left the multi handle.
    @Test func abandonedStreamIsRemovedAndTheClientStaysUsable() async throws {
        try await withMockUpstream(client: .init(maxConcurrentTransfers: 1)) { server, client in
            for try await event in client.send(try gatedStream(server, gate: "abandoned")) {
                if case .body = event { break }
            }
            let response = try await client.fetch(UpstreamRequest(url: server.baseURL + "/anything/after"))
            #expect(response.status == 200)
        }
    }

    @Test func cancellingTheReadingTaskFailsTheStreamAsCancelled() async throws {
        try await withMockUpstream(client: .init(maxConcurrentTransfers: 1)) { server, client in
            let request = try gatedStream(server, gate: "cancelled-task")
            let (firstChunk, firstChunkSeen) = AsyncStream.makeStream(of: Void.self)
            let reader = Task {
                for try await event in client.send(request) {
                    if case .body = event { firstChunkSeen.yield() }
                }
            }
            for await _ in firstChunk { break }
            reader.cancel()
            let result = await reader.result
            #expect(throws: UpstreamError.self) { try result.get() }
            if case .failure(let error as UpstreamError) = result { #expect(error.kind == .cancelled) }
            let response = try await client.fetch(UpstreamRequest(url: server.baseURL + "/anything/after"))
            #expect(response.status == 200)
        }
    }

    @Test func shutdownFailsInFlightAndLaterRequests() async throws {
        try await withMockUpstream { server, client in
            var iterator = client.send(try gatedStream(server, gate: "shutdown")).makeAsyncIterator()
            _ = try await iterator.next()
            client.shutdown()
            let inFlight = try await expectUpstreamError { while try await iterator.next() != nil {} }
            #expect(inFlight.kind == .shutdown)
            let later = try await expectUpstreamError { _ = try await client.fetch(UpstreamRequest(url: server.baseURL + "/anything")) }
            #expect(later.kind == .shutdown)
        }
    }

    @Test func headerWithLineBreakIsRejected() async throws {
        try await withMockUpstream { server, client in
            let error = try await expectUpstreamError {
                _ = try await client.fetch(UpstreamRequest(url: server.baseURL + "/anything", headers: [("X-Bad", "a\r\nInjected: 1")]))
            }
            #expect(error.kind == .invalidRequest)
            #expect(server.requestCount(path: "/anything") == 0)
        }
    }
}
