import Foundation

/// Paraphrase classes for answering like a deterministic LLM: every prompt of one class gets the
/// same answer, and prompts of different classes get different ones (they name their class and a
/// reference number drawn from it), so a semantic hit that served another class's answer shows.
/// Read from JSON lines `{"text": …, "class": …}` (`semcache-mock-upstream --classes FILE`).
public struct MockAnswerClasses: Sendable {
    private let classByText: [String: String]

    /// The classes of `jsonLines`; blank lines are skipped.
    /// - Throws: ``MockAnswerClassesError`` naming the first line that is not `{"text": string, "class": string or number}`.
    public init(jsonLines: String) throws {
        var classes: [String: String] = [:]
        for (index, line) in jsonLines.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
            guard let text = object?["text"] as? String, let name = object?["class"].flatMap(Self.className) else {
                throw MockAnswerClassesError(line: index + 1)
            }
            classes[Self.key(text)] = name
        }
        classByText = classes
    }

    /// The number of prompts with a class.
    public var count: Int { classByText.count }

    /// The answer for `prompt`'s class, or nil when it has none.
    func answer(for prompt: String) -> String? {
        guard let name = classByText[Self.key(prompt)] else { return nil }
        return "Answer for question class \(name): reference number \(MockAnswer.hash(name) % 1_000_000). "
            + "Every paraphrase of this question gets this same reply."
    }

    private static func key(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func className(_ value: Any) -> String? {
        if let text = value as? String { return text }
        if let number = value as? NSNumber { return number.stringValue }
        return nil
    }
}

/// A line of a classes file that is not `{"text": …, "class": …}`.
public struct MockAnswerClassesError: Error, CustomStringConvertible {
    public var line: Int
    public var description: String { "line \(line): expected {\"text\": string, \"class\": string or number}" }
}
