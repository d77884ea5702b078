import Testing
@testable import SemanticCache

@Suite struct UsageChunkFilterTests {
    private static let chunks = [
        #"data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""}}],"usage":null}"#,
        #"data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"say \"usage\":{}"}}],"usage":null}"#,
        #"data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}"#,
    ]
    private static let usageChunk = #"data: {"id":"c","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}"#

    private func stream(_ events: [String], lineEnd: String = "\n") -> [UInt8] {
        Array((events + ["data: [DONE]"]).map { $0 + lineEnd + lineEnd }.joined().utf8)
    }

    @Test(arguments: ["\n", "\r\n"])
    func removesOnlyTheUsageChunk(lineEnd: String) {
        let withUsage = stream(Self.chunks + [Self.usageChunk], lineEnd: lineEnd)
        #expect(UsageChunkFilter.removingUsageChunk(from: withUsage) == stream(Self.chunks, lineEnd: lineEnd))
        let without = stream(Self.chunks, lineEnd: lineEnd)
        #expect(UsageChunkFilter.removingUsageChunk(from: without) == without)
    }

    @Test(arguments: [1, 2, 7, 50, 1000])
    func chunksOfAnySizeGiveTheSameResult(size: Int) {
        let withUsage = stream(Self.chunks + [Self.usageChunk])
        var filter = UsageChunkFilter()
        var output: [UInt8] = []
        for start in stride(from: 0, to: withUsage.count, by: size) {
            output += filter.feed(Array(withUsage[start..<min(start + size, withUsage.count)]))
        }
        output += filter.finish()
        #expect(output == stream(Self.chunks))
    }

    @Test func wholeEventsPassAtOnceAndAnUnfinishedOneWaits() {
        var filter = UsageChunkFilter()
        let first = Array((Self.chunks[0] + "\n\n").utf8)
        #expect(filter.feed(first) == first)
        let partial = Array("data: {\"id\"".utf8)
        #expect(filter.feed(partial).isEmpty)
        #expect(filter.finish() == partial)
    }

    @Test func onlyTheUsageChunkGoesAmongEventsWithEmptyArrays() {
        let emptyArrayInText = #"data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"use [ ] or []"}}],"usage":null}"#
        let metadata = #"data: {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[]}"#
        let kept = [metadata, emptyArrayInText] + Self.chunks
        let withUsage = stream(kept + [Self.usageChunk])
        var filter = UsageChunkFilter()
        #expect(filter.feed(withUsage) == stream(kept))
        #expect(filter.finish().isEmpty)
    }

    @Test func anAzureMetadataChunkWithoutUsageIsKept() {
        let metadata = #"data: {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[]}"#
        let events = stream([metadata] + Self.chunks)
        #expect(UsageChunkFilter.removingUsageChunk(from: events) == events)
    }
}

@Suite struct StreamUsageRequestTests {
    private func analyse(_ body: String, _ endpoint: CacheEndpoint = .chatCompletions) throws -> CacheRequest {
        try CacheRequest.analyse(endpoint: endpoint, body: Array(body.utf8), partition: CachePartition(namespace: "", credential: nil, shared: false))
    }

    @Test func theUpstreamBodyAsksForUsageAndKeepsTheRest() throws {
        let plain = try analyse(#" {"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}"#)
        let asked = try JSONValue.parse(plain.bodyAskingForStreamUsage())
        #expect(asked["stream_options"] == ["include_usage": true])
        #expect(asked["messages"] == plain.body["messages"])
        #expect(asked["stream"] == true)
        let withOptions = try analyse(#"{"model":"m","stream":true,"stream_options":{"include_obfuscation":false},"messages":[{"role":"user","content":"hi"}]}"#)
        let rewritten = try JSONValue.parse(withOptions.bodyAskingForStreamUsage())
        #expect(rewritten["stream_options"] == ["include_obfuscation": false, "include_usage": true])
        let nullOptions = try analyse(#"{"model":"m","stream":true,"stream_options":null,"prompt":"hi"}"#, .completions)
        #expect(try JSONValue.parse(nullOptions.bodyAskingForStreamUsage())["stream_options"] == ["include_usage": true])
        // The key does not change: stream_options is transport.
        #expect(try analyse(String(decoding: plain.bodyAskingForStreamUsage(), as: UTF8.self)).exactKey == plain.exactKey)
    }
}
