import Testing
@testable import SemanticCache

@Suite struct ErrorShapeTests {
    @Test(arguments: [
        ("/v1/messages", ErrorShape.anthropic), ("/v1/messages?beta=true", .anthropic), ("/v1/messages/count_tokens", .anthropic),
        ("/v1/complete", .anthropic), ("/v1/chat/completions", .openAI), ("/v1/embeddings", .openAI), ("/v1/messagesX", .openAI),
        ("/_semcache/stats", .openAI),
    ])
    func theShapeFollowsThePath(path: String, expected: ErrorShape) {
        #expect(ErrorShape(path: path) == expected)
    }

    @Test func anthropicErrorsHaveAnthropicsShape() throws {
        let response = CompleteResponse.error(status: 504, type: "upstream_timeout", message: "slow", shape: .anthropic)
        let body = try JSONValue.parse(response.body)
        #expect(body["type"] == "error")
        #expect(body["error"]?["type"] == "upstream_timeout")
        #expect(body["error"]?["message"] == "slow")
        #expect(response.headers.first(named: "content-type") == "application/json")
    }

    @Test func openAIErrorsKeepOpenAIsShape() throws {
        let body = try JSONValue.parse(CompleteResponse.error(status: 400, type: "invalid_semcache_header", message: "bad").body)
        #expect(body["type"] == nil)
        #expect(body["error"]?["type"] == "invalid_semcache_header")
        #expect(body["error"]?["code"] == "invalid_semcache_header")
        #expect(body["error"]?["message"] == "bad")
    }
}
