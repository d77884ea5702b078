/// The structural checks a request must pass before semcache computes keys for it. They are deliberately
/// limited to what the key, the determinism rule and the semantic form rely on; everything else is left
/// to the upstream, which sees every request the cache cannot answer.
enum RequestValidation {
    /// JSON value kinds, for type checks with readable messages.
    enum Kind: String {
        case string = "a string"
        case number = "a number"
        case bool = "a boolean"
        case object = "an object"
        case array = "an array"
        case null = "null"

        func matches(_ value: JSONValue) -> Bool {
            switch (self, value) {
            case (.string, .string), (.number, .number), (.bool, .bool), (.object, .object), (.array, .array), (.null, .null):
                true
            default:
                false
            }
        }
    }

    /// Checks the fields of a top-level request object for `endpoint`.
    static func validate(_ body: JSONValue, for endpoint: CacheEndpoint) throws(RequestAnalysisError) {
        try require(body["model"], "model", [.string])
        try checkIgnoredFieldTypes(body, for: endpoint)
        switch endpoint {
        case .chatCompletions:
            try validateMessages(body)
        case .anthropicMessages:
            try validateMessages(body)
            try require(body["max_tokens"], "max_tokens", [.number])
        case .completions:
            try require(body["prompt"], "prompt", [.string, .array])
        case .embeddings:
            try require(body["input"], "input", [.string, .array])
        }
    }

    /// Ignored fields leave the key, so a request whose ignored field has the wrong type could otherwise be
    /// answered from the cache although the upstream would reject it.
    private static func checkIgnoredFieldTypes(_ body: JSONValue, for endpoint: CacheEndpoint) throws(RequestAnalysisError) {
        for field in endpoint.ignoredFields {
            guard let value = body[field] else { continue }
            switch field {
            case "stream", "store": try check(value, field, [.bool, .null])
            case "stream_options":
                try check(value, field, [.object, .null])
                if let includeUsage = value["include_usage"] {
                    try check(includeUsage, "stream_options.include_usage", [.bool, .null])
                }
            case "metadata": try check(value, field, [.object, .null])
            default: try check(value, field, [.string, .null])
            }
        }
    }

    private static func validateMessages(_ body: JSONValue) throws(RequestAnalysisError) {
        let messages = try require(body["messages"], "messages", [.array])
        guard let elements = messages.array, !elements.isEmpty else { throw .emptyArray("messages") }
        for (index, message) in elements.enumerated() {
            try check(message, "messages[\(index)]", [.object])
            try require(message["role"], "messages[\(index)].role", [.string])
        }
    }

    @discardableResult
    static func require(_ value: JSONValue?, _ path: String, _ kinds: [Kind]) throws(RequestAnalysisError) -> JSONValue {
        guard let value else { throw .missingField(path) }
        try check(value, path, kinds)
        return value
    }

    static func check(_ value: JSONValue, _ path: String, _ kinds: [Kind]) throws(RequestAnalysisError) {
        guard kinds.contains(where: { $0.matches(value) }) else {
            throw .wrongType(path, expected: kinds.map(\.rawValue).joined(separator: " or "))
        }
    }
}
