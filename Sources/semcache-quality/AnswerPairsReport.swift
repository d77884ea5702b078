import Foundation
import SemanticCache

/// The answer comparator's error on labelled answer pairs (`bench/verify/answer_pairs.tsv`: kind,
/// label, served, fresh; `tool:NAME JSON` for a tool call): per kind, and the false-agree rate
/// (pairs that differ, judged the same: a wrong hit verification would miss) and the
/// false-disagree rate (a right hit it would count as wrong).
struct AnswerPairsReport {
    struct Pair {
        var kind: String
        var agrees: Bool
        var served: String
        var fresh: String
    }

    static func read(_ url: URL) throws -> [Pair] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4, let label = Int(fields[1]) else { throw QualityError("\(url.path): expected kind, label, served, fresh in: \(line.prefix(60))") }
            return Pair(kind: fields[0], agrees: label == 1, served: fields[2], fresh: fields[3])
        }
    }

    /// A tool call written as `tool:NAME JSON`, else prose.
    static func content(_ text: String) -> AnswerContent {
        guard text.hasPrefix("tool:"), let space = text.firstIndex(of: " ") else { return AnswerContent(text: text) }
        let name = String(text[text.index(text.startIndex, offsetBy: 5)..<space])
        let arguments = (try? JSONValue.parse(String(text[text.index(after: space)...]))) ?? .null
        return AnswerContent(text: "", toolCalls: [.init(name: name, arguments: arguments)])
    }

    /// The comparator's verdict on each pair; `vectors` holds the embedding of every prose text.
    static func print(_ pairs: [Pair], vectors: [String: [Float]], comparator: AnswerComparator = .standard) {
        var byKind: [String: (pairs: Int, errors: Int, agrees: Bool)] = [:]
        var falseAgree = 0, falseDisagree = 0
        var misjudged: [String] = []
        for pair in pairs {
            let verdict: AnswerVerdict
            switch comparator.compare(served: content(pair.served), fresh: content(pair.fresh)) {
            case .decided(let decided): verdict = decided
            case .needsCosine:
                let a = vectors[content(pair.served).text] ?? [], b = vectors[content(pair.fresh).text] ?? []
                verdict = comparator.verdict(cosine: zip(a, b).reduce(0) { $0 + $1.0 * $1.1 })
            }
            let wrong = verdict.agrees != pair.agrees
            byKind[pair.kind, default: (0, 0, pair.agrees)].pairs += 1
            if wrong {
                misjudged.append("  \(pair.agrees ? "same, judged different" : "different, judged same") (\(verdict.reason)): \(pair.served) | \(pair.fresh)")
                byKind[pair.kind, default: (0, 0, pair.agrees)].errors += 1
                if pair.agrees { falseDisagree += 1 } else { falseAgree += 1 }
            }
        }
        let differing = pairs.filter { !$0.agrees }.count, same = pairs.count - differing
        Swift.print("answer comparator (cosine agreement ≥ \(comparator.agreement)) on \(pairs.count) pairs")
        for (kind, counts) in byKind.sorted(by: { $0.key < $1.key }) {
            Swift.print("  \(kind.padding(toLength: 34, withPad: " ", startingAt: 0)) \(counts.agrees ? "same " : "differ") \(counts.pairs) pairs, \(counts.errors) judged wrongly")
        }
        Swift.print(String(format: "false agree: %d of %d differing pairs (%.1f%%) · false disagree: %d of %d same pairs (%.1f%%)",
                           falseAgree, differing, 100 * Double(falseAgree) / Double(max(1, differing)),
                           falseDisagree, same, 100 * Double(falseDisagree) / Double(max(1, same))))
        if !misjudged.isEmpty { Swift.print((["judged wrongly:"] + misjudged).joined(separator: "\n")) }
    }
}
