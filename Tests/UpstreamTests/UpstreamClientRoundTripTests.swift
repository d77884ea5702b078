import Foundation
import MockUpstream
import Testing
import Upstream

@Suite(.timeLimit(.minutes(1)))
struct UpstreamClientRoundTripTests {
    @Test func getSendsHeadersAndReturnsTheEcho() async throws {
        try await withMockUpstream { server, client in
            let response = try await client.fetch(UpstreamRequest(
                url: server.baseURL + "/anything/get?x=1&y=two",
                headers: [("X-Test", "a"), ("X-Test", "b"), ("X-Empty", "")]
            ))
            #expect(response.status == 200)
            #expect(header("x-mock-echo", in: response.headers) == ["1"])
            let echo = try jsonObject(response.body)
            #expect(echo["method"] as? String == "GET")
            #expect(echo["path"] as? String == "/anything/get")
            #expect(echo["query"] as? [String: String] == ["x": "1", "y": "two"])
            let received = server.lastRequestHeaders(path: "/anything/get")
            #expect(received.filter { $0.0 == "X-Test" }.map(\.1) == ["a", "b"])
            #expect(received.contains { $0.0 == "X-Empty" && $0.1.isEmpty })
            // libcurl's own defaults must not reach the upstream.
            #expect(!received.contains { ["accept", "expect", "user-agent"].contains($0.0.lowercased()) })
        }
    }

    @Test func postAndPutSendTheBodyByteForByte() async throws {
        try await withMockUpstream { server, client in
            let body: [UInt8] = [0xFF, 0x00, 0xC3, 0x28] + Array(repeating: 0x61, count: 2 << 20)
            for method in ["POST", "PUT"] {
                let response = try await client.fetch(UpstreamRequest(
                    method: method, url: server.baseURL + "/anything/upload",
                    headers: [("Content-Type", "application/octet-stream"), ("Content-Length", "1")], body: body
                ))
                let echo = try jsonObject(response.body)
                #expect(echo["method"] as? String == method)
                let echoed = try #require(Data(base64Encoded: echo["body_base64"] as? String ?? ""))
                #expect(Array(echoed) == body)
                let received = server.lastRequestHeaders(path: "/anything/upload")
                #expect(received.filter { $0.0.lowercased() == "content-type" }.map(\.1) == ["application/octet-stream"])
                #expect(received.filter { $0.0.lowercased() == "content-length" }.map(\.1) == [String(body.count)])
                #expect(!received.contains { $0.0.lowercased() == "expect" })
            }
        }
    }

    @Test func emptyPostSendsContentLengthZeroAndNoFormContentType() async throws {
        try await withMockUpstream { server, client in
            _ = try await client.fetch(UpstreamRequest(method: "POST", url: server.baseURL + "/anything/empty"))
            let received = server.lastRequestHeaders(path: "/anything/empty")
            #expect(received.filter { $0.0.lowercased() == "content-length" }.map(\.1) == ["0"])
            #expect(!received.contains { $0.0.lowercased() == "content-type" })
        }
    }

    @Test func interimContinueHeadIsSkipped() async throws {
        try await withMockUpstream { server, client in
            let response = try await client.fetch(UpstreamRequest(
                method: "POST", url: server.baseURL + "/anything/continue", headers: [("Expect", "100-continue")], body: Array("payload".utf8)
            ))
            #expect(response.status == 200)
            #expect(header("x-mock-echo", in: response.headers) == ["1"])
            #expect(try jsonObject(response.body)["body_base64"] as? String == Data("payload".utf8).base64EncodedString())
        }
    }

    @Test func headReturnsHeadersWithoutBody() async throws {
        try await withMockUpstream { server, client in
            let response = try await client.fetch(UpstreamRequest(method: "HEAD", url: server.baseURL + "/v1/files/binary"))
            #expect(response.status == 200)
            #expect(header("content-length", in: response.headers) == [String(MockUpstreamServer.binaryFileBytes.count)])
            #expect(response.body.isEmpty)
        }
    }

    @Test func duplicateResponseHeadersAreKeptInOrder() async throws {
        try await withMockUpstream { server, client in
            let response = try await client.fetch(UpstreamRequest(url: server.baseURL + "/anything/cookies"))
            #expect(header("set-cookie", in: response.headers) == ["mock-a=1; Path=/", "mock-b=2; Path=/"])
        }
    }

    @Test(arguments: [("500", 500), ("429", 429)])
    func errorStatusesPassThrough(fault: String, status: Int) async throws {
        try await withMockUpstream { server, client in
            let response = try await client.fetch(UpstreamRequest(
                method: "POST", url: server.baseURL + "/v1/chat/completions",
                headers: [("X-Mock-Fault", fault), ("Content-Type", "application/json")], body: try chatBody("hi")
            ))
            #expect(response.status == status)
            let error = try #require(try jsonObject(response.body)["error"] as? [String: Any])
            #expect(error["message"] is String)
            #expect(header("retry-after", in: response.headers) == (status == 429 ? ["1"] : []))
        }
    }

    @Test func binaryBodiesPassThroughUnchanged() async throws {
        try await withMockUpstream { server, client in
            let response = try await client.fetch(UpstreamRequest(url: server.baseURL + "/v1/files/binary"))
            #expect(header("content-type", in: response.headers) == ["application/octet-stream"])
            #expect(response.body == MockUpstreamServer.binaryFileBytes)
        }
    }

    @Test func slowConsumerGetsEveryByteThroughPauseAndResume() async throws {
        let configuration = UpstreamClient.Configuration(maxBufferedBytesPerTransfer: 16 << 10)
        try await withMockUpstream(client: configuration) { server, client in
            let size = 1 << 20
            var received: [UInt8] = []
            for try await event in client.send(UpstreamRequest(url: server.baseURL + "/_mock/bytes?size=\(size)")) {
                guard case .body(let chunk) = event else { continue }
                received += chunk
                if received.count < size / 4 { try await Task.sleep(for: .milliseconds(1)) }
            }
            #expect(received == MockUpstreamServer.patternBytes(count: size))
        }
    }

    @Test func sequentialRequestsReuseOneConnection() async throws {
        try await withMockUpstream { server, client in
            for index in 0..<10 {
                let response = try await client.fetch(UpstreamRequest(url: server.baseURL + "/anything/\(index)"))
                #expect(response.status == 200)
            }
            #expect(server.acceptedConnectionCount == 1)
        }
    }

    @Test func manyConcurrentRequestsAllCompleteWithinTheTransferLimit() async throws {
        try await withMockUpstream(client: .init(maxConcurrentTransfers: 8)) { server, client in
            let paths = try await withThrowingTaskGroup(of: String?.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        let response = try await client.fetch(UpstreamRequest(url: server.baseURL + "/anything/\(index)"))
                        return try jsonObject(response.body)["path"] as? String
                    }
                }
                return try await group.reduce(into: Set<String>()) { paths, path in
                    if let path { paths.insert(path) }
                }
            }
            #expect(paths == Set((0..<200).map { "/anything/\($0)" }))
            #expect(server.acceptedConnectionCount <= 8)
        }
    }
}
