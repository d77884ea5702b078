/// The structural checks a request must pass before semcache computes keys for it. They are deliberately
/// limited to what the key, the sampling rule and the semantic form rely on; everything else is left
/// to the upstream, which sees every request the cache cannot answer.
enum RequestValidation {
    /// Sets of JSON value kinds, for type checks with readable messages (an option set: no allocation per check).
    struct Kinds: OptionSet {
        let rawValue: UInt8
        static let string = Kinds(rawValue: 1)
        static let number = Kinds(rawValue: 2)
        static let bool = Kinds(rawValue: 4)
        static let object = Kinds(rawValue: 8)
        static let array = Kinds(rawValue: 16)
        static let null = Kinds(rawValue: 32)

        private static let names: [(Kinds, String)] = [
            (.string, "a string"), (.number, "a number"), (.bool, "a boolean"), (.object, "an object"), (.array, "an array"),
            (.null, "null"),
        ]

        func matches(_ value: JSONCursor) -> Bool {
            switch value.kind {
            case .string: contains(.string)
            case .number: contains(.number)
            case .true, .false: contains(.bool)
            case .object: contains(.object)
            case .array: contains(.array)
            case .null: contains(.null)
            }
        }

        var description: String {
            Self.names.filter { contains($0.0) }.map(\.1).joined(separator: " or ")
        }
    }

    /// Checks the fields of a top-level request object for `endpoint`.
    static func validate(_ body: JSONCursor, for endpoint: CacheEndpoint) throws(RequestAnalysisError) {
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
        case .responses:
            try validateResponsesFields(body)
        }
    }

    /// Ignored fields leave the key, so a request whose ignored field has the wrong type could otherwise be
    /// answered from the cache although the upstream would reject it.
    private static func checkIgnoredFieldTypes(_ body: JSONCursor, for endpoint: CacheEndpoint) throws(RequestAnalysisError) {
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
            case "encoding_format":
                guard EmbeddingEncoding(request: body) != nil else { throw .wrongType(field, expected: "\"float\" or \"base64\"") }
            default: try check(value, field, [.string, .null])
            }
        }
    }

    /// `input` is optional (a stored `prompt` or `previous_response_id` can stand in for it); the fields that
    /// decide whether the request may be cached at all must have their documented types.
    private static func validateResponsesFields(_ body: JSONCursor) throws(RequestAnalysisError) {
        if let input = body["input"] { try check(input, "input", [.string, .array]) }
        if let background = body["background"] { try check(background, "background", [.bool, .null]) }
        if let conversation = body["conversation"] { try check(conversation, "conversation", [.string, .object, .null]) }
    }

    private static func validateMessages(_ body: JSONCursor) throws(RequestAnalysisError) {
        let messages = try require(body["messages"], "messages", [.array])
        guard let elements = messages.elements, !elements.isEmpty else { throw .emptyArray("messages") }
        for (index, message) in elements.enumerated() {
            try check(message, "messages[\(index)]", [.object])
            try require(message["role"], "messages[\(index)].role", [.string])
        }
    }

    @discardableResult
    static func require(_ value: JSONCursor?, _ path: String, _ kinds: Kinds) throws(RequestAnalysisError) -> JSONCursor {
        guard let value else { throw .missingField(path) }
        try check(value, path, kinds)
        return value
    }

    static func check(_ value: JSONCursor, _ path: String, _ kinds: Kinds) throws(RequestAnalysisError) {
        guard kinds.matches(value) else { throw .wrongType(path, expected: kinds.description) }
    }
}
