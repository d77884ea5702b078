/// Parses a stored or passing-through SSE stream for an endpoint and assembles the non-streamed answer.
///
/// ```swift
/// var assembler = StreamAssembler(endpoint: .chatCompletions)!
/// for chunk in upstreamChunks { assembler.feed(chunk) }
/// if case .complete(let json) = assembler.finish() { store(json) }
/// ```
public struct StreamAssembler: Sendable {
    private var parser = SSEParser()
    private var kind: Kind

    private enum Kind: Sendable {
        case chat(ChatStreamAssembler)
        case completion(CompletionStreamAssembler)
        case anthropic(AnthropicStreamAssembler)
        case responses(ResponsesStreamAssembler)
    }

    /// An assembler for `endpoint`, or `nil` for endpoints that do not stream (embeddings).
    public init?(endpoint: CacheEndpoint) {
        switch endpoint {
        case .chatCompletions: kind = .chat(ChatStreamAssembler())
        case .completions: kind = .completion(CompletionStreamAssembler())
        case .anthropicMessages: kind = .anthropic(AnthropicStreamAssembler())
        case .responses: kind = .responses(ResponsesStreamAssembler())
        case .embeddings: return nil
        }
    }

    /// Consumes the next bytes of the stream, in chunks of any size.
    public mutating func feed(_ bytes: some Collection<UInt8>) {
        for event in parser.feed(bytes) {
            switch kind {
            case .chat(var assembler):
                assembler.consume(event)
                kind = .chat(assembler)
            case .completion(var assembler):
                assembler.consume(event)
                kind = .completion(assembler)
            case .anthropic(var assembler):
                assembler.consume(event)
                kind = .anthropic(assembler)
            case .responses(var assembler):
                assembler.consume(event)
                kind = .responses(assembler)
            }
        }
    }

    /// Ends the stream and returns the assembled answer, or why it must not be stored.
    public mutating func finish() -> StreamAssemblyResult {
        parser.finish()
        if let failure = parser.failure { return .incomplete(reason: failure.description) }
        switch kind {
        case .chat(let assembler): return assembler.result
        case .completion(let assembler): return assembler.result
        case .anthropic(let assembler): return assembler.result
        case .responses(let assembler): return assembler.result
        }
    }

    /// Assembles a whole stream at once; `.incomplete` for endpoints that do not stream.
    public static func assemble(endpoint: CacheEndpoint, stream: some Collection<UInt8>) -> StreamAssemblyResult {
        guard var assembler = StreamAssembler(endpoint: endpoint) else {
            return .incomplete(reason: "the \(endpoint.rawValue) endpoint does not stream")
        }
        assembler.feed(stream)
        return assembler.finish()
    }
}
