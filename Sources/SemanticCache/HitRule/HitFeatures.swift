import Foundation

/// What cosine similarity misses between a query and a stored prompt, computed from the two texts.
///
/// Hard vetoes (any one means "not the same question"): the query is a follow-up, the numbers
/// differ, only one side negates, the question words ask for different kinds of answer, two words
/// trade places around the same words ("from A to B" / "from B to A"), or the sides use two
/// members of one contrast set (best/worst, June/July). Soft features (penalties in ``HitRule``):
/// content words found on one side only, weighted by rarity, and a rare word (a name, a product)
/// replaced by another. `bench/quality/hitrule.py` is the reference implementation.
struct HitFeatures: Sendable {
    /// Why the pair can never be a hit, or `nil`.
    var veto: String?
    /// Sum of the rarity (0 … 1) of the content words found on one side only.
    var unmatchedRarity = 0.0
    /// Rarity of the rarest one-sided word of the query times that of the stored prompt: high when a
    /// rare word was replaced by another.
    var rareSubstitution = 0.0
    /// The rarest one-sided word of each side (for the decision's reason).
    var substituted: (query: String, candidate: String)?

    init(query: PromptWords, candidate: PromptWords) {
        veto = Self.veto(query, candidate)
        guard veto == nil else { return }
        let rareQuery = Self.oneSided(query, absentFrom: candidate)
        let rareCandidate = Self.oneSided(candidate, absentFrom: query)
        unmatchedRarity = rareQuery.sum + rareCandidate.sum
        rareSubstitution = rareQuery.max * rareCandidate.max
        if let a = rareQuery.word, let b = rareCandidate.word { substituted = (a, b) }
    }

    private static func veto(_ query: PromptWords, _ candidate: PromptWords) -> String? {
        if isFollowUp(query) { return "follow-up needs context" }
        if query.numbers != candidate.numbers {
            return "numbers differ: \(describe(query.numbers)) vs \(describe(candidate.numbers))"
        }
        if query.isNegated != candidate.isNegated { return "negation differs" }
        if let a = answerType(query.tokens), let b = answerType(candidate.tokens), a != b {
            return "asks for another kind of answer: \(a) vs \(b)"
        }
        if let (x, y) = swappedWords(query, candidate) { return "word order differs: \(x)/\(y)" }
        let onlyQuery = query.contentStems.subtracting(candidate.contentStems)
        let onlyCandidate = candidate.contentStems.subtracting(query.contentStems)
        if let contrast = contrast(onlyQuery, onlyCandidate) { return "opposite words: \(contrast)" }
        return nil
    }

    /// A prompt that cannot be understood without an earlier turn: it opens like a continuation
    /// ("and in 2020?", "what about Spain?"), has no content word ("why?", "explain more"), or
    /// leans on a pronoun with at most two content words ("what were its key provisions?").
    static func isFollowUp(_ words: PromptWords) -> Bool {
        let tokens = words.tokens
        if tokens.isEmpty || words.contentIndices.isEmpty { return true }
        if WordLists.followUpOpeners.contains(where: { tokens.starts(with: $0) }) { return true }
        return words.contentIndices.count <= 2 && tokens.contains { WordLists.anaphors.contains($0) }
    }

    /// The kind of answer the first question word asks for ("who" → person, "in what year" → time,
    /// "how many" → amount), or `nil` when it does not say.
    static func answerType(_ tokens: [String]) -> String? {
        for (index, token) in tokens.enumerated() {
            let next = index + 1 < tokens.count ? tokens[index + 1] : ""
            if let type = WordLists.questionWordTypes[token] { return type }
            if token == "what" || token == "which" { return WordLists.questionNounTypes[PromptWords.stem(next)] }
            if token == "how" { return WordLists.howTypes[next] }
        }
        return nil
    }

    /// Rarity of a word from its frequency rank: 0 for the most common words, rising with the log
    /// of the rank, 1 for words outside ``CommonWords`` and for tokens with digits or symbols.
    static func rarity(_ token: String) -> Double {
        guard token.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic }),
            let rank = CommonWords.rank[Substring(token)]
        else { return 1 }
        return min(1, log1p(Double(rank)) / log1p(Double(CommonWords.rank.count)))
    }

    private static func describe(_ numbers: [String]) -> String {
        numbers.isEmpty ? "none" : numbers.joined(separator: " ")
    }

    /// Stems of every contrast set, computed once.
    private static let contrastStems: [[(word: String, stem: String)]] = WordLists.contrastSets.map { group in
        group.map { ($0, PromptWords.stem($0)) }
    }

    /// Two members of one contrast set, one only in each prompt, or a word and its negated form.
    private static func contrast(_ onlyQuery: Set<String>, _ onlyCandidate: Set<String>) -> String? {
        for group in contrastStems {
            for x in group where onlyQuery.contains(x.stem) {
                if let y = group.first(where: { onlyCandidate.contains($0.stem) && $0.stem != x.stem }) {
                    return "\(x.word) vs \(y.word)"
                }
            }
        }
        for a in onlyQuery.sorted() {
            for b in onlyCandidate.sorted() where min(a.count, b.count) >= 4 {
                if WordLists.negatingPrefixes.contains(where: { a == $0 + b || b == $0 + a }) { return "\(a) vs \(b)" }
            }
        }
        return nil
    }

    /// The one-sided content words of `words` (by stem, digits excluded): their summed rarity, the
    /// highest rarity, and the word that has it.
    private static func oneSided(_ words: PromptWords, absentFrom other: PromptWords)
        -> (sum: Double, max: Double, word: String?)
    {
        var sum = 0.0
        var best = (value: 0.0, word: String?.none)
        var seen = Set<String>()
        for index in words.contentIndices {
            let stem = words.stems[index]
            guard !other.contentStems.contains(stem), !PromptWords.hasDigit(stem), seen.insert(stem).inserted else {
                continue
            }
            let value = rarity(words.tokens[index])
            sum += value
            if value > best.value { best = (value, words.tokens[index]) }
        }
        return (sum, best.value, best.word)
    }

    /// Two content words (each once per side) that trade places around the same words: `x P y` on
    /// one side, `y Q x` on the other, where the stem sets P and Q are not empty, overlap by at least
    /// ``WordLists/swapPivotOverlap`` and hold no symmetric connector ("from Paris to Rome" /
    /// "from Rome to Paris", "A is the father of B" / "B is the father of A").
    private static func swappedWords(_ a: PromptWords, _ b: PromptWords) -> (String, String)? {
        let positionsA = positions(a)
        let positionsB = positions(b)
        var shared: [String] = []
        var seen = Set<String>()
        for index in a.contentIndices {
            let stem = a.stems[index]
            if positionsA[stem]?.count == 1, positionsB[stem]?.count == 1, seen.insert(stem).inserted {
                shared.append(stem)
            }
        }
        guard shared.count >= 2 else { return nil }
        for i in 0..<(shared.count - 1) {
            for j in (i + 1)..<shared.count {
                guard let ax = positionsA[shared[i]]?.first, let ay = positionsA[shared[j]]?.first,
                    let bx = positionsB[shared[i]]?.first, let by = positionsB[shared[j]]?.first,
                    (ax < ay) != (bx < by)
                else { continue }
                let betweenA = Set(a.stems[(min(ax, ay) + 1)..<max(ax, ay)])
                let betweenB = Set(b.stems[(min(bx, by) + 1)..<max(bx, by)])
                let all = betweenA.union(betweenB)
                guard !betweenA.isEmpty, !betweenB.isEmpty, all.isDisjoint(with: WordLists.symmetricConnectors) else {
                    continue
                }
                if Double(betweenA.intersection(betweenB).count) >= WordLists.swapPivotOverlap * Double(all.count) {
                    return (a.tokens[ax], a.tokens[ay])
                }
            }
        }
        return nil
    }

    private static func positions(_ words: PromptWords) -> [String: [Int]] {
        var positions: [String: [Int]] = [:]
        for (index, stem) in words.stems.enumerated() { positions[stem, default: []].append(index) }
        return positions
    }
}
