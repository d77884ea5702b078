import Foundation

/// The uncased BERT WordPiece tokenizer, producing the same ids as Hugging Face's `BertTokenizer(Fast)`
/// for all-MiniLM-L6-v2: basic tokenisation (see ``BertPreTokenizer``), then greedy longest-match
/// WordPiece with `##` continuations; a word longer than 100 characters or with no match becomes `[UNK]`.
public struct WordPieceTokenizer: Sendable {
    /// Vocabulary keyed by the token's UTF-8 bytes: byte equality, not Swift's canonical string equality,
    /// so that e.g. decomposed Hangul never matches a precomposed vocabulary entry (as in Hugging Face).
    private let ids: [[UInt8]: Int32]
    private let classifyID: Int32
    private let separatorID: Int32
    private let unknownID: Int32
    private static let maxCharactersPerWord = 100

    /// Loads a `vocab.txt` (one token a line; the line number is the id).
    public init(vocabulary: URL) throws {
        let bytes: [UInt8]
        do {
            bytes = try [UInt8](Data(contentsOf: vocabulary))
        } catch {
            throw EmbeddingError.modelMissing(path: vocabulary.path)
        }
        var tokens: [[UInt8]] = []
        var line: [UInt8] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                tokens.append(line)
                line.removeAll(keepingCapacity: true)
            } else {
                line.append(byte)
            }
        }
        if !line.isEmpty { tokens.append(line) }
        try self.init(tokens: tokens, source: vocabulary.path)
    }

    /// Builds a tokenizer from tokens in id order (UTF-8 bytes); `source` names them in errors.
    init(tokens: [[UInt8]], source: String) throws {
        var ids: [[UInt8]: Int32] = [:]
        ids.reserveCapacity(tokens.count)
        for (index, token) in tokens.enumerated() where ids[token] == nil {
            ids[token] = Int32(index)
        }
        func required(_ token: String) throws -> Int32 {
            guard let id = ids[Array(token.utf8)] else {
                throw EmbeddingError.modelDamaged(path: source, "the vocabulary has no \(token) token")
            }
            return id
        }
        self.ids = ids
        classifyID = try required("[CLS]")
        separatorID = try required("[SEP]")
        unknownID = try required("[UNK]")
    }

    /// Number of tokens in the vocabulary.
    public var vocabularySize: Int { ids.count }

    /// Token ids of `text`: `[CLS]`, at most `maxLength - 2` WordPiece ids, `[SEP]`.
    public func encode(_ text: String, maxLength: Int = 256) -> [Int32] {
        let budget = max(maxLength, 2) - 2
        var result: [Int32] = [classifyID]
        for word in BertPreTokenizer.words(text) {
            if result.count - 1 >= budget { break }
            result.append(contentsOf: wordPieces(word))
        }
        if result.count - 1 > budget { result.removeLast(result.count - 1 - budget) }
        result.append(separatorID)
        return result
    }

    private func wordPieces(_ word: [Unicode.Scalar]) -> [Int32] {
        if word.count > Self.maxCharactersPerWord { return [unknownID] }
        var utf8: [UInt8] = []
        var offsets: [Int] = [0]  // byte offset where each scalar starts, plus the end
        for scalar in word {
            utf8.append(contentsOf: String(scalar).utf8)
            offsets.append(utf8.count)
        }
        var pieces: [Int32] = []
        var start = 0
        var key: [UInt8] = []
        while start < word.count {
            var end = word.count
            var found: Int32?
            while end > start {
                key.removeAll(keepingCapacity: true)
                if start > 0 { key.append(contentsOf: [UInt8(ascii: "#"), UInt8(ascii: "#")]) }
                key.append(contentsOf: utf8[offsets[start]..<offsets[end]])
                if let id = ids[key] { found = id; break }
                end -= 1
            }
            guard let id = found else { return [unknownID] }
            pieces.append(id)
            start = end
        }
        return pieces
    }
}
