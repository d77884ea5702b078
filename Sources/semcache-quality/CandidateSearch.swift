/// Cache-style candidates: every distinct `stored` text goes into the cache, every distinct `query`
/// text is looked up, and its nearest stored text (highest cosine) is the candidate the hit rule judges.
struct CandidateSearch {
    struct Candidate {
        var query: String
        var stored: String
        var cosine: Float
        /// Whether `stored` is a labelled paraphrase of `query`.
        var isRight: Bool
    }

    let candidates: [Candidate]
    /// Queries that have at least one labelled paraphrase in the cache.
    let answerable: Int

    init(pairs: [LabelledPair], vectors: [String: [Float]]) {
        var storedTexts: [String] = []
        var seen = Set<String>()
        var partners: [String: Set<String>] = [:]
        var queries: [String] = []
        var seenQueries = Set<String>()
        for pair in pairs {
            if seen.insert(pair.stored).inserted { storedTexts.append(pair.stored) }
            if seenQueries.insert(pair.query).inserted { queries.append(pair.query) }
            if pair.isParaphrase { partners[pair.query, default: []].insert(pair.stored) }
        }
        let dimension = vectors[storedTexts.first ?? ""]?.count ?? 0
        var matrix: [Float] = []
        matrix.reserveCapacity(storedTexts.count * dimension)
        for text in storedTexts { matrix += vectors[text] ?? [] }
        candidates = queries.map { query in
            let vector = vectors[query] ?? []
            var best = -Float.infinity
            var bestRow = 0
            matrix.withUnsafeBufferPointer { rows in
                vector.withUnsafeBufferPointer { q in
                    for row in 0..<storedTexts.count {
                        let score = Self.dot(q, rows, offset: row * dimension, count: dimension)
                        if score > best { (best, bestRow) = (score, row) }
                    }
                }
            }
            let stored = storedTexts[bestRow]
            return Candidate(query: query, stored: stored, cosine: best,
                             isRight: partners[query]?.contains(stored) ?? false)
        }
        answerable = queries.filter { partners[$0] != nil }.count
    }

    /// Dot product with eight independent accumulators (vectorises without fast-math).
    static func dot(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>, offset: Int, count: Int) -> Float {
        guard let pa = a.baseAddress, let pb = b.baseAddress else { return 0 }
        var acc = SIMD8<Float>()
        var index = 0
        while index + 8 <= count {
            let x = UnsafeRawPointer(pa + index).loadUnaligned(as: SIMD8<Float>.self)
            let y = UnsafeRawPointer(pb + offset + index).loadUnaligned(as: SIMD8<Float>.self)
            acc += x * y
            index += 8
        }
        var sum = acc.sum()
        while index < count {
            sum += a[index] * b[offset + index]
            index += 1
        }
        return sum
    }
}
