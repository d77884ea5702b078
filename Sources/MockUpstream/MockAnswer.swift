import Foundation

/// Deterministic answers: the same prompt always gets the same text, ids, tool call and usage.
enum MockAnswer {
    private static let closingSentences = [
        "This reply is deterministic.",
        "It comes from the semcache mock upstream.",
        "The same prompt always gets the same reply.",
        "No model was consulted for it.",
        "Ask again and the words will not change.",
    ]

    /// Fixed `created` timestamp (2025-01-01T00:00:00Z) so that whole bodies are reproducible.
    static let created = 1_735_689_600

    static func text(for userText: String) -> String {
        let sentence = closingSentences[Int(hash(userText) % UInt64(closingSentences.count))]
        let question = userText.trimmingCharacters(in: .whitespacesAndNewlines)
        let ending = question.last.map { $0.isPunctuation ? "" : "." } ?? ""
        return "Mock answer to: \(question)\(ending) \(sentence)"
    }

    /// The text of choice `index` (of `n`) for a prompt: choice 0 is ``text(for:)``, later ones say
    /// which variant they are; with a `response_format` asking for JSON, that text as a JSON object.
    static func text(for prompt: MockPrompt, choice index: Int) -> String {
        let text = prompt.answerText + (index == 0 ? "" : " Variant \(index + 1).")
        switch prompt.jsonFormat {
        case nil:
            return text
        case .object:
            return JSONValue.object([("answer", .string(text))]).serialized
        case .schema(let properties):
            return JSONValue.object(properties.map { property in
                let value: JSONValue = switch property.type {
                case "integer", "number": .int(tokenCount(text))
                case "boolean": true
                case "array": []
                case "object": [:]
                case "null": nil
                default: .string(text)
                }
                return (property.name, value)
            }).serialized
        }
    }

    /// About 1.3 tokens per word, at least 1.
    static func tokenCount(_ text: String) -> Int {
        let words = text.split(whereSeparator: { $0.isWhitespace }).count
        return max(1, Int((Double(words) * 1.3).rounded(.up)))
    }

    /// Tool input naming the place after "in" in the question (default "Paris").
    static func toolInput(for userText: String) -> JSONValue {
        let words = userText.split(whereSeparator: { $0.isWhitespace })
        let place = zip(words, words.dropFirst()).first { $0.0.lowercased() == "in" }.map { String($0.1) }
        let location = place?.filter { $0.isLetter || $0 == "-" } ?? ""
        return ["location": .string(location.isEmpty ? "Paris" : location), "unit": "celsius"]
    }

    /// ``toolInput(for:)`` as the JSON text of OpenAI's `arguments` / Anthropic's `partial_json`.
    static func toolArguments(for userText: String) -> String {
        toolInput(for: userText).serialized
    }

    /// Splits text after every `words`-th space; the pieces concatenate to the exact text.
    static func pieces(of text: String, words: Int = 3) -> [String] {
        var pieces: [String] = []
        var current = ""
        var spaces = 0
        for character in text {
            current.append(character)
            if character == " " {
                spaces += 1
                if spaces % words == 0 {
                    pieces.append(current)
                    current = ""
                }
            }
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    /// Splits a string into pieces of `length` characters, like a model streaming tool arguments.
    static func fragments(of text: String, length: Int = 6) -> [String] {
        var fragments: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            fragments.append(String(rest.prefix(length)))
            rest = rest.dropFirst(length)
        }
        return fragments
    }

    /// A deterministic id such as `chatcmpl-3f2a…` derived from `seed`.
    static func id(_ prefix: String, _ seed: [UInt8]) -> String {
        prefix + String(hash(seed), radix: 16)
    }

    /// FNV-1a, 64 bit: stable across runs and platforms (unlike `Hasher`).
    static func hash(_ text: String) -> UInt64 { hash(Array(text.utf8)) }

    static func hash(_ bytes: [UInt8]) -> UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01b3
        }
        return value
    }
}
