import Store

/// What an answer says, read from a response body of one of the cached endpoints: its text and its
/// tool calls. What the ``AnswerComparator`` compares; ids, timestamps and usage are left out, since
/// two calls of a deterministic model differ in them.
public struct AnswerContent: Sendable, Equatable {
    /// One tool (function) call: its name and its arguments (parsed when they are JSON, so key order
    /// and spacing do not matter).
    public struct ToolCall: Sendable, Equatable {
        public var name: String
        public var arguments: JSONValue

        public init(name: String, arguments: JSONValue) {
            self.name = name
            self.arguments = arguments
        }

        /// Arguments sent as JSON text (OpenAI): parsed when they are JSON, else kept as a string.
        init(name: String, argumentsText: String) {
            self.init(name: name, arguments: (try? JSONValue.parse(Array(argumentsText.utf8))) ?? .string(argumentsText))
        }
    }

    /// The text of every choice or block, joined by blank lines.
    public var text: String
    public var toolCalls: [ToolCall]

    public init(text: String, toolCalls: [ToolCall] = []) {
        self.text = text
        self.toolCalls = toolCalls
    }

    /// Reads a stored or fresh response body (JSON, or an SSE transcript assembled first); nil for
    /// a body it cannot read, or an endpoint whose answers it does not compare (embeddings).
    public init?(body: [UInt8], kind: ResponseKind, endpoint: CacheEndpoint) {
        let json: JSONValue?
        switch kind {
        case .json: json = try? JSONValue.parse(body)
        case .sse: json = StreamAssembler.assemble(endpoint: endpoint, stream: body).response
        }
        guard let json, let content = Self.read(json, endpoint: endpoint) else { return nil }
        self = content
    }

    private static func read(_ json: JSONValue, endpoint: CacheEndpoint) -> AnswerContent? {
        switch endpoint {
        case .chatCompletions:
            guard let choices = json["choices"]?.array else { return nil }
            let messages = choices.compactMap { $0["message"] }
            return AnswerContent(
                text: joined(messages.compactMap { $0["content"]?.string }),
                toolCalls: messages.flatMap { $0["tool_calls"]?.array ?? [] }.map { call in
                    ToolCall(name: call["function"]?["name"]?.string ?? "", argumentsText: call["function"]?["arguments"]?.string ?? "")
                })
        case .completions:
            guard let choices = json["choices"]?.array else { return nil }
            return AnswerContent(text: joined(choices.compactMap { $0["text"]?.string }))
        case .anthropicMessages:
            guard let blocks = json["content"]?.array else { return nil }
            return AnswerContent(
                text: joined(blocks.filter { $0["type"]?.string == "text" }.compactMap { $0["text"]?.string }),
                toolCalls: blocks.filter { $0["type"]?.string == "tool_use" }.map { block in
                    ToolCall(name: block["name"]?.string ?? "", arguments: block["input"] ?? .null)
                })
        case .responses:
            guard let items = json["output"]?.array else { return nil }
            let parts = items.filter { $0["type"]?.string == "message" }.flatMap { $0["content"]?.array ?? [] }
            return AnswerContent(
                text: joined(parts.compactMap { $0["text"]?.string }),
                toolCalls: items.filter { $0["type"]?.string == "function_call" }.map { item in
                    ToolCall(name: item["name"]?.string ?? "", argumentsText: item["arguments"]?.string ?? "")
                })
        case .embeddings:
            return nil
        }
    }

    private static func joined(_ texts: [String]) -> String {
        texts.joined(separator: "\n\n")
    }
}
