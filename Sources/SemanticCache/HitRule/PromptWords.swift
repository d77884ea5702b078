/// The words of one prompt as the hit rule sees them: lower-cased tokens, their stems, and the
/// content words (everything that is not a function word).
///
/// Tokens are runs of letters and digits plus `+ # _` (so `c++`, `c#`, `snake_case` stay whole) and
/// `.` or `'` between two letters/digits (`node.js`, `3.5`, `don't`); anything else separates tokens.
/// `bench/quality/hitrule.py` is the Python reference of the same steps.
struct PromptWords: Sendable {
    /// Lower-cased tokens in text order.
    let tokens: [String]
    /// `tokens` with inflection suffixes stripped (see ``PromptWords/stem(_:)``).
    let stems: [String]
    /// Indices into `tokens` of the content words, in text order.
    let contentIndices: [Int]
    /// Stems of the content words.
    let contentStems: Set<String>
    /// Whether any token negates (`not`, `never`, `without`, `…n't`).
    let isNegated: Bool
    /// Numbers written in the prompt (digits as written, small number words as digits), sorted.
    let numbers: [String]
    /// Identifier-like chunks (`site:ox.ac.uk`, `sort:top`, `node.js`, `load_dataset`); see
    /// ``PromptWords/literals(_:)``.
    let literals: Set<String>
    /// Whether the prompt is a sentence rather than a keyword query: at least as many function words
    /// (negations included) as content words, so word order says who does what.
    let isSentence: Bool

    init(_ text: String) {
        literals = Self.literals(text)
        let tokens = Self.tokenize(text)
        let stems = tokens.map(Self.stem)
        self.tokens = tokens
        self.stems = stems
        var indices: [Int] = []
        var negated = false
        var numbers: [String] = []
        for (index, token) in tokens.enumerated() {
            let stem = stems[index]
            if WordLists.negations.contains(token) || WordLists.negations.contains(stem) || token.hasSuffix("n't") {
                negated = true
                continue
            }
            if Self.hasDigit(token) {
                numbers.append(String(token.filter { $0 != "," }))
            } else if let digits = WordLists.numberWords[token] {
                numbers.append(digits)
            }
            if !WordLists.functionWords.contains(token) && !WordLists.functionWords.contains(stem) {
                indices.append(index)
            }
        }
        contentIndices = indices
        contentStems = Set(indices.map { stems[$0] })
        isNegated = negated
        self.numbers = numbers.sorted()
        isSentence = tokens.count - indices.count >= indices.count
    }

    /// Splits `text` into lower-cased tokens.
    static func tokenize(_ text: String) -> [String] {
        let scalars = Array(text.lowercased().unicodeScalars)
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        for (index, raw) in scalars.enumerated() {
            let scalar: Unicode.Scalar = raw == "\u{2019}" ? "'" : raw
            if isWordScalar(scalar) || scalar == "+" || scalar == "#" || scalar == "_" {
                current.append(scalar)
            } else if (scalar == "." || scalar == "'") && !current.isEmpty && index + 1 < scalars.count
                && isWordScalar(scalars[index + 1])
            {
                current.append(scalar)
            } else if !current.isEmpty {
                tokens.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { tokens.append(String(current)) }
        return tokens
    }

    /// Runs of letters, digits and `. : _ / - + # @`, trimmed of `. : / -` at both ends, of at least
    /// four characters, with a letter and a `.`, `:` or `_` inside: search operators, domains, file
    /// and function names, which name one thing exactly. A slash alone does not make one
    /// ("downloaded/processed" is two words).
    static func literals(_ text: String) -> Set<String> {
        var found = Set<String>()
        var chunk = String.UnicodeScalarView()
        func finish() {
            var scalars = chunk[...]
            chunk = String.UnicodeScalarView()
            while let first = scalars.first, ".:/-".unicodeScalars.contains(first) { scalars.removeFirst() }
            while let last = scalars.last, ".:/-".unicodeScalars.contains(last) { scalars.removeLast() }
            guard scalars.count >= 4, scalars.contains(where: { $0.properties.isAlphabetic }),
                scalars.contains(where: { ".:_".unicodeScalars.contains($0) })
            else { return }
            found.insert(String(String.UnicodeScalarView(scalars)))
        }
        for scalar in text.lowercased().unicodeScalars {
            if isWordScalar(scalar) || ".:_/-+#@".unicodeScalars.contains(scalar) {
                chunk.append(scalar)
            } else if !chunk.isEmpty {
                finish()
            }
        }
        if !chunk.isEmpty { finish() }
        return found
    }

    /// Strips plural and verb suffixes so inflections of one word compare equal
    /// ("painted", "painting", "paints" → "paint"). Not a linguistic stemmer: only consistent.
    static func stem(_ token: String) -> String {
        var word = Array(token.unicodeScalars)
        if word.count >= 2 && word[word.count - 2] == "'" && word[word.count - 1] == "s" {
            word.removeLast(2)
        }
        if token.hasSuffix("n't") {
            if token == "can't" { return "cannot" }
            if token == "won't" { return "wont" }
            return String(String.UnicodeScalarView(word.dropLast(3))) + "nt"
        }
        guard word.count > 3, word.allSatisfy({ $0.properties.isAlphabetic }) else {
            return String(String.UnicodeScalarView(word))
        }
        if ends(word, "ies") && word.count > 4 {
            word.removeLast(3)
            word.append("y")
        } else if ends(word, "ing") && word.count > 5 {
            word.removeLast(3)
        } else if ends(word, "ed") && word.count > 4 {
            word.removeLast(2)
        } else if ends(word, "es") && word.count > 4 && "sxzh".unicodeScalars.contains(word[word.count - 3]) {
            word.removeLast(2)
        } else if ends(word, "s") && !ends(word, "ss") && !ends(word, "us") && !ends(word, "is") {
            word.removeLast()
        }
        if word.count > 3 && word[word.count - 1] == word[word.count - 2]
            && !"lsz".unicodeScalars.contains(word[word.count - 1])
        {
            word.removeLast()
        }
        if word.count > 3 && word[word.count - 1] == "e" {
            word.removeLast()
        }
        return String(String.UnicodeScalarView(word))
    }

    static func hasDigit(_ token: String) -> Bool {
        token.unicodeScalars.contains { $0.properties.numericType != nil }
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    private static func ends(_ word: [Unicode.Scalar], _ suffix: String) -> Bool {
        let tail = Array(suffix.unicodeScalars)
        return word.count >= tail.count && Array(word.suffix(tail.count)) == tail
    }
}

