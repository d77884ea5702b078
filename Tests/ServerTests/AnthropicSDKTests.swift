import Foundation
import SemanticCache
import Testing

/// The real Anthropic Python SDK (`anthropic==2.17.0`, `Tests/clients/requirements.txt`) pointed at the sidecar.
@Suite struct AnthropicSDKTests {
    @Test func everyCaseAnAppRuns() async throws {
        let result = try await SDKClient.runCases("anthropic_client.py")
        func headers(_ calls: JSONValue?) -> [String?] { (calls?.array ?? []).map { $0["x_semcache"]?.string } }

        // messages.create has no temperature in the 2.x SDK: cached all the same.
        #expect(headers(result["create"]) == ["miss", "hit-exact"])
        #expect(result["create"]?[0]?["text"] == result["create"]?[1]?["text"])
        #expect((result["create"]?[1]?["output_tokens"]?.int ?? 0) > 0)

        #expect(headers(result["stream"]) == ["miss", "hit-exact"])
        #expect(result["stream"]?[0]?["text"] == result["stream"]?[1]?["text"])
        #expect(result["stream"]?[1]?["streamed_text"] == result["stream"]?[1]?["text"])
        #expect(result["create_then_stream"]?["x_semcache"] == "hit-exact")
        #expect(result["create_then_stream"]?["text"] == result["create"]?[0]?["text"])

        // Bearer (the SDK's default) and x-api-key with the same key: one partition; another key: its own.
        #expect(headers(result["partitions"]) == ["miss", "hit-exact", "miss"])
        #expect(result["prewarmed"]?["stored"] == 1)
        #expect(result["prewarmed"]?["call"]?["x_semcache"] == "hit-exact")
        #expect(result["prewarmed"]?["call"]?["text"] == "Prewarmed answer.")

        let error = result["error_shape"]
        #expect(error?["status"] == 400)
        #expect(error?["body"]?["type"] == "error")
        #expect(error?["body"]?["error"]?["type"] == "invalid_semcache_header")
        #expect(error?["message"]?.string?.contains("X-Semcache-Threshold") == true)
    }
}
