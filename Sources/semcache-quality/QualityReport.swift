import Foundation
import SemanticCache

/// The table for one file: the shipped hit rule and bare cosine thresholds, pairwise and cache-style.
struct QualityReport {
    static let cosineThresholds: [Float] = [0.80, 0.85, 0.90, 0.95]

    let name: String
    let format: EvalFormat
    let pairs: [LabelledPair]
    let vectors: [String: [Float]]
    let rule: HitRule

    func print() {
        let paraphrases = pairs.filter(\.isParaphrase).count
        Swift.print("== \(name) (\(format.rawValue)): \(pairs.count) pairs, \(paraphrases) paraphrases ==")
        let cosines = pairs.map { pair in cosine(pair.stored, pair.query) }
        let search = CandidateSearch(pairs: pairs, vectors: vectors)
        Swift.print(pad("rule", 20) + "| pairwise: hits  precision  recall  false-hit | cache-style: hits  precision  recall  false-hit")
        let shipped = row(
            "hit rule (t=\(rule.threshold))",
            pairwise: zip(pairs, cosines).map { rule.evaluate(query: $0.query, candidate: $0.stored, cosine: $1).accepted },
            cacheStyle: search.candidates.map { rule.evaluate(query: $0.query, candidate: $0.stored, cosine: $0.cosine).accepted },
            search: search)
        Swift.print(shipped.line)
        var followUpHits = [shipped.pairwise.hits]
        for threshold in Self.cosineThresholds {
            let bare = row(
                String(format: "cosine >= %.2f", threshold),
                pairwise: cosines.map { $0 >= threshold },
                cacheStyle: search.candidates.map { $0.cosine >= threshold },
                search: search)
            Swift.print(bare.line)
            followUpHits.append(bare.pairwise.hits)
        }
        if format == .followup {
            Swift.print("follow-up prompts that hit their main query (rule, then cosine \(Self.cosineThresholds)): \(followUpHits)")
        }
        Swift.print("")
    }

    private func row(_ label: String, pairwise: [Bool], cacheStyle: [Bool], search: CandidateSearch)
        -> (line: String, pairwise: Metrics)
    {
        var pair = Metrics()
        for (labelled, accepted) in zip(pairs, pairwise) {
            if labelled.isParaphrase { pair.positives += 1 } else { pair.falseHitBase += 1 }
            if accepted { if labelled.isParaphrase { pair.right += 1 } else { pair.wrong += 1 } }
        }
        var cache = Metrics(positives: search.answerable, falseHitBase: search.candidates.count)
        for (candidate, accepted) in zip(search.candidates, cacheStyle) where accepted {
            if candidate.isRight { cache.right += 1 } else { cache.wrong += 1 }
        }
        return (pad(label, 20) + "| " + cells(pair, width: 10) + " | " + cells(cache, width: 13), pair)
    }

    private func cells(_ m: Metrics, width: Int) -> String {
        pad("", width - 5) + String(format: "%5d  %9.3f  %6.3f  %9.3f", m.hits, m.precision, m.recall, m.falseHitRate)
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    private func cosine(_ a: String, _ b: String) -> Float {
        guard let x = vectors[a], let y = vectors[b] else { return 0 }
        return x.withUnsafeBufferPointer { px in
            y.withUnsafeBufferPointer { py in CandidateSearch.dot(px, py, offset: 0, count: x.count) }
        }
    }
}
