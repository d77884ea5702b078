import Foundation
import SemanticCache
import Testing

/// Runs a client script of `Tests/clients/` with the Python that has the official SDKs (`make venv`
/// creates it; `SEMCACHE_TEST_PYTHON` overrides) against a sidecar, and returns the JSON it printed.
enum SDKClient {
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func python() throws -> String {
        if let configured = ProcessInfo.processInfo.environment["SEMCACHE_TEST_PYTHON"] { return configured }
        let venv = repositoryRoot.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: venv) else {
            throw SDKTestError(message: "no Python with the openai and anthropic SDKs: run `make venv` (or `make test`), or set SEMCACHE_TEST_PYTHON")
        }
        return venv
    }

    struct SDKTestError: Error, CustomStringConvertible { var message: String; var description: String { message } }

    /// Runs `Tests/clients/<script>` against `baseURL` and parses the JSON it prints; a failing script fails the test.
    static func run(_ script: String, baseURL: String) async throws -> JSONValue {
        let client = repositoryRoot.appendingPathComponent("Tests/clients/\(script)").path
        let run = try await ChildProcess.run(try python(), [client, baseURL])
        guard run.status == 0 else { throw SDKTestError(message: "\(script) failed: \(run.err)") }
        return try JSONValue.parse(run.out)
    }

    /// Runs `script` against a fresh sidecar and mock; records an issue for every case that raised.
    static func runCases(_ script: String) async throws -> JSONValue {
        var result: JSONValue = .null
        try await Harness.with { harness in
            result = try await run(script, baseURL: harness.baseURL)
        }
        for (name, value) in result.object ?? [] {
            #expect(value["error"] == nil, "\(name): \(value["error"]?.string ?? "")")
        }
        return result
    }
}

/// The real OpenAI Python SDK (`openai==3.60.0`, `Tests/clients/requirements.txt`) pointed at the sidecar.
@Suite struct OpenAISDKTests {
    private static func headers(_ calls: JSONValue?) -> [String?] {
        (calls?.array ?? []).map { $0["x_semcache"]?.string }
    }

    @Test func everyCaseAnAppRuns() async throws {
        let result = try await SDKClient.runCases("openai_client.py")

        #expect(Self.headers(result["plain"]) == ["miss", "hit-exact"])
        #expect(result["plain"]?[0]?["text"] == result["plain"]?[1]?["text"])
        #expect(Self.headers(result["stream"]) == ["miss", "hit-exact"])
        #expect(result["stream"]?[0]?["text"] == result["stream"]?[1]?["text"])
        #expect(result["stream"]?[1]?["text"]?.string?.isEmpty == false)
        #expect(result["plain_then_stream"]?["x_semcache"] == "hit-exact")
        #expect(result["plain_then_stream"]?["text"] == result["plain"]?[0]?["text"])

        // A stream replayed to `for chunk in stream: chunk.choices[0]` has no usage chunk unless asked for.
        for name in ["stored_with_usage", "stored_without_usage"] {
            let calls = result["usage_replays"]?[name]
            #expect(Self.headers(calls) == ["miss", "hit-exact", "hit-exact"], "\(name)")
            #expect(calls?[1]?["usage"] == .null, "\(name)")
            #expect((calls?[2]?["usage"]?.int ?? 0) > 0, "\(name)")
            #expect(calls?[0]?["text"] == calls?[1]?["text"], "\(name)")
            #expect(calls?[1]?["text"] == calls?[2]?["text"], "\(name)")
        }
        #expect((result["usage_replays"]?["stored_with_usage"]?[0]?["usage"]?.int ?? 0) > 0)
        #expect(result["usage_replays"]?["stored_without_usage"]?[0]?["usage"] == .null)

        #expect(result["json_usage_after_stream"]?["stream"]?["x_semcache"] == "miss")
        #expect(result["json_usage_after_stream"]?["json"]?["x_semcache"] == "hit-exact")
        #expect((result["json_usage_after_stream"]?["json"]?["total_tokens"]?.int ?? 0) > 0)

        #expect(Self.headers(result["reasoning_model"]) == ["miss", "hit-exact"])

        let embeddings = result["embeddings"]
        for name in ["repeat", "float_then_base64", "base64_then_float"] {
            #expect(Self.headers(embeddings?[name]) == ["miss", "hit-exact"], "\(name)")
            #expect(embeddings?[name]?[0]?["float32"] == embeddings?[name]?[1]?["float32"], "\(name)")
        }

        let choices = result["choices_and_json_format"]
        #expect(Self.headers(choices?["n"]) == ["miss", "hit-exact"])
        #expect(choices?["n"]?[0]?["contents"]?.array?.count == 2)
        let jsonContent = choices?["json_object"]?["contents"]?[0]?.string ?? ""
        #expect((try? JSONValue.parse(Array(jsonContent.utf8)))?["answer"]?.string?.isEmpty == false, "\(jsonContent)")

        let concurrent = result["async_gather"]?.array ?? []
        #expect(concurrent.count == 12)
        let same = concurrent.prefix(6)
        #expect(same.filter { $0["x_semcache"] == "miss" }.count == 1)
        #expect(same.allSatisfy { $0["text"] == same.first?["text"] })
        #expect(concurrent.suffix(6).allSatisfy { $0["x_semcache"] == "miss" && $0["text"]?.string?.contains("Distinct question") == true })
    }
}
