/// Reads a stored or recorded SSE transcript with the assembler of its endpoint.
enum StreamTranscript {
    /// The non-stream JSON answer equivalent to `transcript`, or nil when the stream did not end
    /// normally (or the endpoint has no streaming form).
    static func assemble(_ transcript: [UInt8], endpoint: CacheEndpoint) -> JSONValue? {
        var parser = SSEParser()
        var events = parser.feed(transcript)
        events += parser.finish()
        switch endpoint {
        case .chatCompletions:
            var assembler = ChatStreamAssembler()
            for event in events { assembler.consume(event) }
            return assembler.result()
        case .completions:
            var assembler = CompletionStreamAssembler()
            for event in events { assembler.consume(event) }
            return assembler.result()
        case .anthropicMessages:
            var assembler = AnthropicStreamAssembler()
            for event in events { assembler.consume(event) }
            return assembler.result()
        case .embeddings:
            return nil
        }
    }
}
