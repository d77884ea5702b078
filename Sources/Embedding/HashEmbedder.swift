/// A lexical fallback embedder that needs no model files: feature hashing of words and character n-grams.
///
/// Algorithm (`hash-ngram-v1`), identical on every run and platform:
/// 1. lower-case each Unicode scalar; letters and digits form words, everything else separates them;
/// 2. features: every word (weight 2) and every character 3-, 4- and 5-gram of the word wrapped in
///    `<` `>` (weight 1); a text with no word has the single feature `<empty>`;
/// 3. each feature is hashed with 64-bit FNV-1a over its UTF-8 bytes, finished with the SplitMix64 mixer;
///    the hash modulo `dimension` picks the component, its top bit the sign;
/// 4. the vector is L2-normalised.
///
/// It finds paraphrases that share words or word pieces, not synonyms; use it only when MiniLM is absent.
public struct HashEmbedder: Embedder {
    public let id = "hash-ngram-v1"
    public let dimension: Int

    /// - Parameter dimension: number of hash buckets (at least 1).
    public init(dimension: Int = 384) {
        self.dimension = max(1, dimension)
    }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        texts.map(vector)
    }

    /// The embedding of one text (synchronous; the work is linear in the text length).
    public func vector(_ text: String) -> [Float] {
        var result = [Float](repeating: 0, count: dimension)
        let words = Self.words(text)
        if words.isEmpty { add(Array("<empty>".utf8), weight: 1, to: &result) }
        for word in words {
            add(Array(String(String.UnicodeScalarView(word)).utf8), weight: 2, to: &result)
            let wrapped: [Unicode.Scalar] = ["<"] + word + [">"]
            for length in 3...5 where wrapped.count >= length {
                for start in 0...(wrapped.count - length) {
                    let gram = String(String.UnicodeScalarView(wrapped[start..<(start + length)]))
                    add(Array(gram.utf8), weight: 1, to: &result)
                }
            }
        }
        BertKernels.normalize(&result)
        return result
    }

    private func add(_ feature: [UInt8], weight: Float, to vector: inout [Float]) {
        let hash = Self.mix(Self.fnv1a(feature))
        let index = Int(hash % UInt64(dimension))
        vector[index] += hash >> 63 == 0 ? weight : -weight
    }

    private static func words(_ text: String) -> [[Unicode.Scalar]] {
        var words: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        for scalar in text.unicodeScalars {
            let properties = scalar.properties
            if properties.isAlphabetic || properties.numericType != nil {
                current.append(contentsOf: properties.lowercaseMapping.unicodeScalars)
            } else if !current.isEmpty {
                words.append(current)
                current = []
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// 64-bit FNV-1a.
    static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// SplitMix64's finaliser, so that neighbouring FNV values spread over all buckets and signs.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
