import Foundation
import Logging
import Testing
@testable import SemanticCache

@Suite struct PrewarmTrafficLogTests {
    @Test func readsTheFixtureLog() throws {
        let output = try PrewarmFixtures.read("traffic.jsonl", format: .semcache)
        #expect(output.records.map(\.source.line) == [1, 2, 3, 4, 6])
        let miss = try #require(output.record(line: 1)?.response)
        #expect(miss.upstreamMilliseconds == 812.4)
        #expect(miss.usage?["completion_tokens"] == 2)
        #expect(abs(try #require(miss.timestamp) - 1_741_944_413.589) < 1e-6)
        #expect(output.record(line: 3)?.response?.assembled(for: .chatCompletions)?["choices"]?[0]?["message"]?["content"] == "Rome.")
        let badGateway = try #require(output.record(line: 4)?.response)
        #expect(badGateway.status == 502 && badGateway.text.contains("502 Bad Gateway"))
        #expect(output.record(line: 6)?.response?.timestamp == 1_741_944_435.5)
        #expect(output.issues.map { "\($0.source.line!) \($0.kind.rawValue)" } == ["5 malformed", "7 not cacheable"])
    }

    @Test func writtenEntriesReadBackUnchanged() async throws {
        let path = temporaryPath()
        defer { unlink(path) }
        let writer = try TrafficLogWriter(path: path, logger: Logger(label: "test"))
        let transcript = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"
        // A pretty-printed request body must still become one line.
        writer.append(
            endpoint: .chatCompletions, requestBody: Array("{\n  \"model\": \"m\",\n  \"temperature\": 0,\n  \"messages\": [{\"role\": \"user\", \"content\": \"é\\n\"}]\n}".utf8),
            status: 200, responseBody: Array(#"{"id":"x","choices":[{"message":{"content":"Hello"}}]}"#.utf8), isStream: false,
            promptTokens: 5, completionTokens: 1, upstreamMilliseconds: 123.456, cache: "miss", time: 1_741_944_413.589)
        writer.append(
            endpoint: .chatCompletions, requestBody: Array(#"{"model":"m","stream":true,"messages":[]}"#.utf8),
            status: 200, responseBody: Array(transcript.utf8), isStream: true,
            promptTokens: nil, completionTokens: nil, upstreamMilliseconds: nil, cache: "hit-exact", time: 1_741_944_414)
        writer.append(
            endpoint: .embeddings, requestBody: Array("not json".utf8), status: 200, responseBody: [], isStream: false,
            promptTokens: nil, completionTokens: nil, upstreamMilliseconds: nil, cache: "bypass")
        await writer.close()

        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 2)
        #expect(text.hasPrefix(#"{"time":"2025-03-14T09:26:53.589Z","endpoint":"/v1/chat/completions","status":200,"cache":"miss","upstream_ms":123.5,"usage":{"prompt_tokens":5,"completion_tokens":1},"request":"#))
        let output = try PrewarmFixtures.read([.file(path)], format: nil)
        #expect(output.detections.first?.contains("semcache traffic log") == true)
        #expect(output.issues.isEmpty)
        #expect(output.records.count == 2)
        let first = try #require(output.records.first)
        #expect(first.request == ["model": "m", "temperature": 0, "messages": [["role": "user", "content": "é\n"]]])
        #expect(first.response?.json == ["id": "x", "choices": [["message": ["content": "Hello"]]]])
        #expect(first.response?.usage == ["prompt_tokens": 5, "completion_tokens": 1])
        #expect(first.response?.upstreamMilliseconds == 123.5)
        #expect(abs(try #require(first.response?.timestamp) - 1_741_944_413.589) < 1e-6)
        let second = try #require(output.records.last?.response)
        #expect(second.isStream && second.text == transcript)
        #expect(second.timestamp == 1_741_944_414)
    }

    @Test func concurrentAppendsEachBecomeOneWholeLine() async throws {
        let path = temporaryPath()
        defer { unlink(path) }
        let writer = try TrafficLogWriter(path: path, logger: Logger(label: "test"), flushInterval: .milliseconds(5))
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for number in 0..<250 {
                        writer.append(
                            endpoint: .embeddings, requestBody: Array("{\"model\":\"e\",\"input\":\"\(task)-\(number)\"}".utf8),
                            status: 200, responseBody: Array(#"{"object":"list","data":[]}"#.utf8), isStream: false,
                            promptTokens: 1, completionTokens: nil, upstreamMilliseconds: 1, cache: "miss")
                    }
                }
            }
        }
        await writer.close()
        let output = try PrewarmFixtures.read([.file(path)], format: .semcache)
        #expect(output.issues.isEmpty)
        #expect(Set(output.records.compactMap { $0.request["input"]?.string }).count == 2000)
        #expect(writer.droppedEntries == 0)
    }

    @Test func entriesBeyondTheBufferLimitAreDroppedAndCounted() async throws {
        let path = temporaryPath()
        defer { unlink(path) }
        let writer = try TrafficLogWriter(path: path, logger: Logger(label: "test"), maxQueuedBytes: 512)
        let big = Array(("{\"model\":\"e\",\"input\":\"" + String(repeating: "x", count: 1024) + "\"}").utf8)
        for _ in 0..<3 {
            writer.append(endpoint: .embeddings, requestBody: big, status: 200, responseBody: [], isStream: false,
                          promptTokens: nil, completionTokens: nil, upstreamMilliseconds: nil, cache: "miss")
        }
        await writer.close()
        #expect(writer.droppedEntries == 3)
        #expect(try String(contentsOfFile: path, encoding: .utf8).isEmpty)
    }

    @Test func theLogIsPrivateToItsOwner() async throws {
        let path = temporaryPath()
        defer { unlink(path) }
        let writer = try TrafficLogWriter(path: path, logger: Logger(label: "test"))
        await writer.close()
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
    }

    @Test func anUnwritableLocationFailsWithAMessage() throws {
        #expect {
            try TrafficLogWriter(path: "/nonexistent-directory/traffic.jsonl", logger: Logger(label: "test"))
        } throws: { error in
            "\(error)".contains("/nonexistent-directory/traffic.jsonl") && "\(error)".contains("directory exists")
        }
    }

    private func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("semcache-traffic-\(UUID().uuidString).jsonl").path
    }
}
