/// The parts of an API request body that shape the mock's answer.
struct MockPrompt {
    var model: String
    /// Text of the newest user turn (or the completion prompt).
    var lastUserText: String
    /// Every text of the request, for the prompt token count.
    var allText: String
    /// Name of the first declared tool, when the request declares tools.
    var toolName: String?
    var stream: Bool
    var includeUsage: Bool
    /// `n`: how many choices to answer with (at least 1).
    var choiceCount: Int
    /// `response_format` asks for JSON (`json_object`, or `json_schema` with its schema's properties).
    var jsonFormat: JSONFormat?
    /// The answer of the prompt's paraphrase class (``MockAnswerClasses``), when it has one.
    var classAnswer: String?

    /// The answer text: the class's, else one made from the prompt.
    var answerText: String { classAnswer ?? MockAnswer.text(for: lastUserText) }

    /// The JSON a `response_format` asks for.
    enum JSONFormat {
        case object
        /// `json_schema`: the top-level properties and their `type`s, in the schema's order when known.
        case schema([(name: String, type: String)])
    }

    /// Reads an OpenAI chat or Anthropic messages body; `nil` when it has no `messages` array.
    init?(messagesRequest json: [String: Any]) {
        guard let messages = json["messages"] as? [[String: Any]] else { return nil }
        let texts = messages.map { Self.text(of: $0["content"]) }
        let userTexts = messages.filter { $0["role"] as? String == "user" }.map { Self.text(of: $0["content"]) }
        let tools = json["tools"] as? [[String: Any]] ?? []
        let firstTool = tools.first.map { ($0["function"] as? [String: Any])?["name"] ?? $0["name"] }
        self.init(
            json: json,
            lastUserText: userTexts.last ?? "",
            allText: ([Self.text(of: json["system"])] + texts).joined(separator: " "),
            toolName: firstTool.map { $0 as? String ?? "tool" }
        )
    }

    /// Reads an OpenAI Responses API body; `nil` when `input` is neither a string nor an array of items.
    /// After a `function_call_output` item (the answer to a tool call) no tool is called again.
    init?(responsesRequest json: [String: Any]) {
        let instructions = json["instructions"] as? String ?? ""
        let items: [[String: Any]]
        if let text = json["input"] as? String {
            items = [["role": "user", "content": text]]
        } else if let array = json["input"] as? [[String: Any]] {
            items = array
        } else {
            return nil
        }
        let texts = items.map { Self.text(of: $0["content"] ?? $0["output"]) }
        let userTexts = items.filter { $0["role"] as? String == "user" }.map { Self.text(of: $0["content"]) }
        let tools = json["tools"] as? [[String: Any]] ?? []
        let firstTool = tools.first.map { $0["name"] ?? ($0["function"] as? [String: Any])?["name"] }
        let answersToolCall = items.last?["type"] as? String == "function_call_output"
        self.init(
            json: json,
            lastUserText: userTexts.last ?? "",
            allText: ([instructions] + texts).joined(separator: " "),
            toolName: answersToolCall ? nil : firstTool.map { $0 as? String ?? "tool" }
        )
    }

    /// Reads an OpenAI completions body; `nil` when it has no usable `prompt`.
    init?(completionRequest json: [String: Any]) {
        let prompt = (json["prompt"] as? String) ?? (json["prompt"] as? [String])?.last
        guard let prompt else { return nil }
        self.init(json: json, lastUserText: prompt, allText: prompt, toolName: nil)
    }

    private init(json: [String: Any], lastUserText: String, allText: String, toolName: String?) {
        model = json["model"] as? String ?? "mock-model"
        self.lastUserText = lastUserText
        self.allText = allText
        self.toolName = toolName
        stream = json["stream"] as? Bool ?? false
        includeUsage = (json["stream_options"] as? [String: Any])?["include_usage"] as? Bool ?? false
        choiceCount = max(1, min(json["n"] as? Int ?? 1, 16))
        let format = json["response_format"] as? [String: Any]
        switch format?["type"] as? String {
        case "json_object":
            jsonFormat = .object
        case "json_schema":
            let schema = (format?["json_schema"] as? [String: Any])?["schema"] as? [String: Any]
            let properties = schema?["properties"] as? [String: Any] ?? [:]
            jsonFormat = .schema(properties.keys.sorted().map { name in
                (name, (properties[name] as? [String: Any])?["type"] as? String ?? "string")
            })
        default:
            jsonFormat = nil
        }
    }

    /// Whether the answer is a tool call: tools were declared and the user asks about the weather.
    var callsTool: Bool {
        toolName != nil && lastUserText.lowercased().contains("weather")
    }

    var promptTokens: Int { MockAnswer.tokenCount(allText) }

    /// What response ids are derived from: equal prompts get equal ids whatever the JSON key order.
    var idSeed: [UInt8] { Array([model, allText, toolName ?? ""].joined(separator: "\u{0}").utf8) }

    /// A message `content`: a string, or an array of blocks/parts whose `text` fields are joined.
    static func text(of content: Any?) -> String {
        if let text = content as? String { return text }
        guard let blocks = content as? [[String: Any]] else { return "" }
        return blocks.compactMap { $0["text"] as? String }.joined(separator: " ")
    }
}
