import Testing
import SemanticCache

@Suite struct UpstreamURLTests {
    @Test(arguments: [
        ("https://api.openai.com", "/v1/chat/completions", "https://api.openai.com/v1/chat/completions"),
        ("https://api.openai.com/", "/v1/chat/completions", "https://api.openai.com/v1/chat/completions"),
        ("https://api.openai.com/v1", "/v1/chat/completions", "https://api.openai.com/v1/chat/completions"),
        ("https://api.openai.com/v1/", "/v1/models?limit=2", "https://api.openai.com/v1/models?limit=2"),
        ("https://openrouter.ai/api/v1", "/v1/messages", "https://openrouter.ai/api/v1/messages"),
        ("https://gateway.example/proxy", "/v1/embeddings", "https://gateway.example/proxy/v1/embeddings"),
        ("https://api.openai.com/v1", "/health", "https://api.openai.com/v1/health"),
        ("https://api.example/v10", "/v1/embeddings", "https://api.example/v10/v1/embeddings"),
    ])
    func aBaseWithOrWithoutV1NeverDoublesIt(base: String, uri: String, expected: String) {
        #expect(SidecarConfiguration(upstreamURL: base).upstreamURL(for: uri) == expected)
    }
}
