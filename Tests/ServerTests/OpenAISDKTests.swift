import Foundation
import SemanticCache
import Testing

/// The real OpenAI Python SDK pointed at the sidecar (`make test` creates the venv).
@Suite struct OpenAISDKTests {
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func python() throws -> String {
        if let configured = ProcessInfo.processInfo.environment["SEMCACHE_TEST_PYTHON"] { return configured }
        let venv = repositoryRoot.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: venv) else {
            throw SDKTestError(message: "no Python with the openai SDK: run `make venv` (or `make test`), or set SEMCACHE_TEST_PYTHON")
        }
        return venv
    }

    struct SDKTestError: Error, CustomStringConvertible { var message: String; var description: String { message } }

    /// Runs `Tests/clients/<script>` against `baseURL` and parses the JSON it prints; a failing script fails the test.
    static func runClient(_ script: String, baseURL: String) async throws -> JSONValue {
        let client = repositoryRoot.appendingPathComponent("Tests/clients/\(script)").path
        let run = try await ChildProcess.run(try python(), [client, baseURL])
        guard run.status == 0 else { throw SDKTestError(message: "\(script) failed: \(run.err)") }
        return try JSONValue.parse(run.out)
    }

    @Test func secondIdenticalCallIsAHitStreamAndNonStream() async throws {
        let harness = try await Harness.start()
        let result = try await Self.runClient("openai_client.py", baseURL: harness.baseURL)
        #expect(result["plain"]?[0]?["x_semcache"]?.string == "miss")
        #expect(result["plain"]?[1]?["x_semcache"]?.string == "hit-exact")
        #expect(result["plain"]?[0]?["text"] == result["plain"]?[1]?["text"])
        #expect(result["stream"]?[0]?["x_semcache"]?.string == "miss")
        #expect(result["stream"]?[1]?["x_semcache"]?.string == "hit-exact")
        #expect(result["stream"]?[0]?["text"] == result["stream"]?[1]?["text"])
        #expect(result["stream"]?[1]?["text"]?.string?.isEmpty == false)
        #expect(result["plain_then_stream"]?["x_semcache"]?.string == "hit-exact")
        #expect(result["plain_then_stream"]?["text"] == result["plain"]?[0]?["text"])
        #expect(result["embeddings"]?[1]?["x_semcache"]?.string == "hit-exact")
        try await harness.stop()
    }
}
