/// The newest user text of a request and the request with that text replaced by a fixed placeholder.
///
/// Only plain text qualifies: a newest turn with images, audio, files, tool results or documents has no
/// semantic form (its meaning is not in its text), nor do embeddings requests or token-array prompts.
struct SemanticForm {
    /// The text that is embedded for similarity search.
    let text: String
    /// The keyed body with every piece of that text replaced by ``placeholder``: the request's context.
    let contextBody: JSONValue

    /// Stands in for the newest user text in the context key. The NUL bytes keep it apart from real prompts.
    static let placeholder = "\u{0}semcache:newest-user-text\u{0}"

    init?(body: JSONValue, endpoint: CacheEndpoint) {
        switch endpoint {
        case .embeddings:
            return nil
        case .completions:
            guard let prompt = body["prompt"]?.string else { return nil }
            self.init(text: prompt, contextBody: body.settingMember("prompt", to: .string(Self.placeholder)))
        case .chatCompletions, .anthropicMessages:
            guard var messages = body["messages"]?.array, let last = messages.last,
                  let role = last["role"]?.string, utf8Equal(role, "user"),
                  let content = last["content"],
                  let (text, placeholderContent) = Self.textContent(content)
            else { return nil }
            messages[messages.count - 1] = last.settingMember("content", to: placeholderContent)
            self.init(text: text, contextBody: body.settingMember("messages", to: .array(messages)))
        }
    }

    private init?(text: String, contextBody: JSONValue) {
        guard text.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else { return nil }
        self.text = text
        self.contextBody = contextBody
    }

    /// A message's text (a string, or the "\n"-joined `text` of parts that are all `{"type": "text"}`)
    /// and the same content with each text replaced by the placeholder, keeping its shape.
    private static func textContent(_ content: JSONValue) -> (String, JSONValue)? {
        switch content {
        case .string(let text):
            return (text, .string(placeholder))
        case .array(let parts) where !parts.isEmpty:
            var texts: [String] = []
            var replaced: [JSONValue] = []
            for part in parts {
                guard let type = part["type"]?.string, utf8Equal(type, "text"), let text = part["text"]?.string else {
                    return nil
                }
                texts.append(text)
                replaced.append(part.settingMember("text", to: .string(placeholder)))
            }
            return (texts.joined(separator: "\n"), .array(replaced))
        default:
            return nil
        }
    }
}
