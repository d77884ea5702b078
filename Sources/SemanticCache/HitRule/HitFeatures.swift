import Foundation

/// What cosine similarity misses between a query and a stored prompt, computed from the two texts.
///
/// Hard vetoes (any one means "not the same question"): the query is a follow-up, the numbers
/// differ, only one side negates, the prompts ask for different kinds of answer, each side names an
/// identifier the other lacks (`site:a.org` / `site:b.org`), two words trade places around the same
/// words ("from A to B" / "from B to A"), sentences or long prompts reorder nearly the same words,
/// or the sides use two members of one contrast set (best/worst, June/July). Soft features (penalties in ``HitRule``): a rare word (a name, a
/// product) replaced by another, and words one side adds without a counterpart, both weighing more
/// in short prompts. `bench/quality/hitrule.py` is the reference implementation.
struct HitFeatures: Sendable {
    /// Why the pair can never be a hit, or `nil`.
    var veto: String?
    /// Rarity of the rarest one-sided word of the query times that of the stored prompt: high when a
    /// rare word was replaced by another.
    var rareSubstitution = 0.0
    /// Summed rarity of the one-sided words one side has beyond the other side's count of
    /// one-sided words (the rarest of them): words added without a counterpart.
    var addedRarity = 0.0
    /// How much one word weighs in prompts this long: `min(cap, words / content words of both)`.
    var lengthWeight = 1.0
    /// The rarest one-sided word of each side (for the decision's reason).
    var substituted: (query: String, candidate: String)?

    init(query: PromptWords, candidate: PromptWords) {
        veto = Self.veto(query, candidate)
        guard veto == nil else { return }
        let onlyQuery = Self.oneSidedWords(query, absentFrom: candidate)
        let onlyCandidate = Self.oneSidedWords(candidate, absentFrom: query)
        let rareQuery = onlyQuery.map(\.rarity).sorted(by: >)
        let rareCandidate = onlyCandidate.map(\.rarity).sorted(by: >)
        rareSubstitution = (rareQuery.first ?? 0) * (rareCandidate.first ?? 0)
        let (longer, shorter) = rareQuery.count > rareCandidate.count ? (rareQuery, rareCandidate) : (rareCandidate, rareQuery)
        addedRarity = longer.prefix(longer.count - shorter.count).reduce(0, +)
        let words = query.contentStems.union(candidate.contentStems).count
        lengthWeight = min(WordLists.lengthWeightCap, WordLists.lengthWeightWords / Double(max(1, words)))
        if let a = Self.rarest(onlyQuery), let b = Self.rarest(onlyCandidate) {
            substituted = (a, b)
        }
    }

    private static func veto(_ query: PromptWords, _ candidate: PromptWords) -> String? {
        if isFollowUp(query) { return "follow-up needs context" }
        if query.numbers != candidate.numbers {
            return "numbers differ: \(describe(query.numbers)) vs \(describe(candidate.numbers))"
        }
        if query.isNegated != candidate.isNegated { return "negation differs" }
        if let a = answerType(query.tokens), let b = answerType(candidate.tokens), a.conflicts(with: b) {
            return "asks for another kind of answer: \(a) vs \(b)"
        }
        let literalsQuery = query.literals.filter { x in !candidate.literals.contains { sameName(x, $0) } }
        let literalsCandidate = candidate.literals.filter { y in !query.literals.contains { sameName(y, $0) } }
        if let a = literalsQuery.min(), let b = literalsCandidate.min() {
            return "names differ: \(a) vs \(b)"
        }
        let positions = (query: positions(query), candidate: positions(candidate))
        if let (x, y) = swappedWords(query, candidate, positions) { return "word order differs: \(x)/\(y)" }
        if isReordered(query, candidate, positions) { return "words reordered" }
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

    /// The same identifier, maybe qualified on one side (`list_datasets` / `datasets.list_datasets`).
    private static func sameName(_ x: String, _ y: String) -> Bool {
        x == y || x.hasSuffix("." + y) || y.hasSuffix("." + x)
    }

    /// The kind of answer a prompt asks for, from the question word among its first
    /// ``WordLists/questionWordWindow`` tokens ("who" → person, "in what year" → time, "what fruit"
    /// → thing, "how do" → manner, "explain" → description), or `nil` when it does not say.
    static func answerType(_ tokens: [String]) -> AnswerKind? {
        for (index, token) in tokens.prefix(WordLists.questionWordWindow).enumerated() {
            let next = index + 1 < tokens.count ? tokens[index + 1] : ""
            if WordLists.describeWords.contains(token)
                || (token == "tell" && tokens.dropFirst(index + 1).prefix(3).contains("about"))
            {
                return .description
            }
            if let kind = WordLists.questionWordTypes[token] { return kind }
            if token == "what" || token == "which" {
                let stem = PromptWords.stem(next)
                if let kind = WordLists.questionNounTypes[stem] { return kind }
                let isWord = !next.isEmpty && next.unicodeScalars.allSatisfy { $0.properties.isAlphabetic }
                return isWord && !WordLists.functionWords.contains(next) ? .thing(stem) : nil
            }
            if token == "how" {
                return WordLists.howTypes[next] ?? (WordLists.mannerAfterHow.contains(next) ? .manner : nil)
            }
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
            for b in onlyCandidate.sorted() where min(a.count, b.count) >= 3 {
                if WordLists.negatingPrefixes.contains(where: { a == $0 + b || b == $0 + a }) { return "\(a) vs \(b)" }
            }
        }
        return nil
    }

    /// The rarest of `words` (the first in text order among equals), or nil when none is rare at all.
    private static func rarest(_ words: [(word: String, rarity: Double)]) -> String? {
        var best: (word: String, rarity: Double)?
        for word in words where word.rarity > (best?.rarity ?? 0) { best = word }
        return best?.word
    }

    /// The first token of each content stem of `words` that `other` lacks, digits excluded, with
    /// its rarity, in text order.
    private static func oneSidedWords(_ words: PromptWords, absentFrom other: PromptWords) -> [(word: String, rarity: Double)] {
        var seen = Set<String>()
        return words.contentIndices.compactMap { index in
            let stem = words.stems[index]
            guard !other.contentStems.contains(stem), !PromptWords.hasDigit(stem), seen.insert(stem).inserted else {
                return nil
            }
            return (words.tokens[index], rarity(words.tokens[index]))
        }
    }

    /// Two content words (each once per side) that trade places around the same words: `x P y` on
    /// one side, `y Q x` on the other, where the stem sets P and Q are not empty, hold no symmetric
    /// connector, and overlap by at least ``WordLists/swapPivotOverlap`` or hold the same function
    /// words, the relation between x and y ("from Paris to Rome" / "from Rome to Paris", "A is the
    /// father of B" / "B is the father of A", "from Jenkins to GitHub Actions" / "from GitHub Actions
    /// to Jenkins").
    private static func swappedWords(_ a: PromptWords, _ b: PromptWords, _ positions: Positions) -> (String, String)? {
        let (positionsA, positionsB) = positions
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
                let relationA = betweenA.subtracting(a.contentStems)
                if Double(betweenA.intersection(betweenB).count) >= WordLists.swapPivotOverlap * Double(all.count)
                    || (!relationA.isEmpty && relationA == betweenB.subtracting(b.contentStems))
                {
                    return (a.tokens[ax], a.tokens[ay])
                }
            }
        }
        return nil
    }

    /// Long prompts (``WordLists/reorderMinWords`` content words in both together), or sentences
    /// (``PromptWords/isSentence`` on both sides) whose words did more than trade one pair of
    /// neighbours, with nearly the same content words (Jaccard ≥ ``WordLists/reorderMinOverlap``) in
    /// another order: at least two neighbouring pairs of the words both have once each (query order)
    /// are not neighbours in the stored prompt. Roles swapped across clauses look like this; in a
    /// short sentence two neighbours trading places move a modifier ("the capital city of" / "which
    /// city is the capital of"), and keyword queries reorder freely.
    private static func isReordered(_ a: PromptWords, _ b: PromptWords, _ positions: Positions) -> Bool {
        let union = a.contentStems.union(b.contentStems).count
        let overlap = a.contentStems.intersection(b.contentStems).count
        guard Double(overlap) >= WordLists.reorderMinOverlap * Double(union) else { return false }
        let (positionsA, positionsB) = positions
        let shared = a.contentStems.filter { positionsA[$0]?.count == 1 && positionsB[$0]?.count == 1 }
        let sequenceA = a.stems.filter(shared.contains)
        let sequenceB = b.stems.filter(shared.contains)
        let isLong = union >= WordLists.reorderMinWords
        guard isLong || (a.isSentence && b.isSentence && !neighboursTraded(sequenceA, sequenceB)) else { return false }
        var neighboursB = Set<String>()
        for (x, y) in zip(sequenceB, sequenceB.dropFirst()) { neighboursB.insert(x + "\u{0}" + y) }
        let breaks = zip(sequenceA, sequenceA.dropFirst()).filter { !neighboursB.contains($0 + "\u{0}" + $1) }.count
        return breaks >= 2
    }

    /// Whether `b` is `a` with one pair of neighbours traded.
    private static func neighboursTraded(_ a: [String], _ b: [String]) -> Bool {
        guard a.count == b.count, a.count >= 2 else { return false }
        return (0..<(a.count - 1)).contains { i in
            var traded = a
            traded.swapAt(i, i + 1)
            return traded == b
        }
    }

    /// Where each stem stands in the query and in the stored prompt.
    private typealias Positions = (query: [String: [Int]], candidate: [String: [Int]])

    private static func positions(_ words: PromptWords) -> [String: [Int]] {
        var positions: [String: [Int]] = [:]
        for (index, stem) in words.stems.enumerated() { positions[stem, default: []].append(index) }
        return positions
    }
}
