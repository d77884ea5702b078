/// The newest user text of a request and where it sits in the request, so the context key can be computed
/// with that text replaced by a fixed placeholder.
///
/// Only plain text qualifies: a newest turn with images, audio, files, tool results or documents has no
/// semantic form (its meaning is not in its text), nor do embeddings requests or token-array prompts.
/// Responses API: an `input` string, or the last `input` item when it is a user message whose content is a
/// string or only `input_text` parts.
struct SemanticForm {
    /// The text that is embedded for similarity search.
    let text: String
    /// The tape indices of the string tokens that make up the text (the content string, or each text part's
    /// `text`); the context replaces each with ``placeholder``, keeping the shape of the message.
    let textTokens: [Int]

    /// Stands in for the newest user text in the context key. The NUL bytes keep it apart from real prompts.
    static let placeholder = "\u{0}semcache:newest-user-text\u{0}"

    init?(body: JSONCursor, endpoint: CacheEndpoint) {
        switch endpoint {
        case .embeddings:
            return nil
        case .completions:
            guard let prompt = body["prompt"], let text = prompt.string else { return nil }
            self.init(text: text, textTokens: [prompt.index])
        case .chatCompletions, .anthropicMessages:
            guard let last = body["messages"]?.elements?.last, last["role"]?.isString("user") == true,
                  let content = last["content"]
            else { return nil }
            self.init(content: content, textPartType: "text")
        case .responses:
            guard let input = body["input"] else { return nil }
            if let text = input.string {
                self.init(text: text, textTokens: [input.index])
                return
            }
            guard let last = input.elements?.last, last["role"]?.isString("user") == true,
                  last["type"].map({ $0.isString("message") }) ?? true, let content = last["content"]
            else { return nil }
            self.init(content: content, textPartType: "input_text")
        }
    }

    /// A message's `content`: a string, or an array of parts that are all `textPartType` parts (joined with "\n").
    private init?(content: JSONCursor, textPartType: String) {
        if let text = content.string {
            self.init(text: text, textTokens: [content.index])
            return
        }
        guard let parts = content.elements, !parts.isEmpty else { return nil }
        var texts: [String] = []
        var tokens: [Int] = []
        for part in parts {
            guard part["type"]?.isString(textPartType) == true, let text = part["text"], let string = text.string else { return nil }
            texts.append(string)
            tokens.append(text.index)
        }
        self.init(text: texts.joined(separator: "\n"), textTokens: tokens)
    }

    private init?(text: String, textTokens: [Int]) {
        guard text.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else { return nil }
        self.text = text
        self.textTokens = textTokens
    }
}
