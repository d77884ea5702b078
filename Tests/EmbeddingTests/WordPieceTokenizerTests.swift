import Foundation
import Testing
@testable import Embedding

/// WordPiece rules on a small vocabulary (the full Hugging Face comparison is in MiniLMReferenceTests).
@Suite struct WordPieceTokenizerTests {
    static let tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able", "a", "##a", "!",
                         "ᄒ", "##ᅡ", "##ᆫ", "한", "cafe"]
    let tokenizer: WordPieceTokenizer

    init() throws {
        tokenizer = try WordPieceTokenizer(tokens: Self.tokens.map { Array($0.utf8) }, source: "test vocabulary")
    }

    private func ids(_ words: String...) -> [Int32] {
        words.map { word in Int32(Self.tokens.firstIndex(of: word) ?? -1) }
    }

    @Test func greedyLongestMatchWithContinuations() {
        #expect(tokenizer.encode("unaffable") == ids("[CLS]", "un", "##aff", "##able", "[SEP]"))
        #expect(tokenizer.encode("UNAFFABLE!") == ids("[CLS]", "un", "##aff", "##able", "!", "[SEP]"))
        #expect(tokenizer.encode("Café") == ids("[CLS]", "cafe", "[SEP]"))
    }

    @Test func wordWithoutACompleteMatchIsUnknown() {
        #expect(tokenizer.encode("unaffablex a") == ids("[CLS]", "[UNK]", "a", "[SEP]"))
    }

    @Test func wordsOverOneHundredCharactersAreUnknown() {
        #expect(tokenizer.encode(String(repeating: "a", count: 100)) == ids("[CLS]") + Array(repeating: ids("a")[0], count: 1) + Array(repeating: ids("##a")[0], count: 99) + ids("[SEP]"))
        #expect(tokenizer.encode(String(repeating: "a", count: 101)) == ids("[CLS]", "[UNK]", "[SEP]"))
    }

    @Test func truncatesToMaxLengthIncludingSpecialTokens() {
        let encoded = tokenizer.encode("unaffable unaffable", maxLength: 5)
        #expect(encoded == ids("[CLS]", "un", "##aff", "##able", "[SEP]"))
        #expect(tokenizer.encode("a a a", maxLength: 2) == ids("[CLS]", "[SEP]"))
    }

    /// Hangul decomposes to jamo under NFD; vocabulary lookup compares bytes, so the precomposed
    /// entry must not match the decomposed word (Swift's String equality would say they are equal).
    @Test func decomposedHangulMatchesJamoNotThePrecomposedEntry() {
        #expect(tokenizer.encode("한") == ids("[CLS]", "ᄒ", "##ᅡ", "##ᆫ", "[SEP]"))
    }

    @Test func controlAndFormatCharactersAreDropped() {
        #expect(tokenizer.encode("un\u{200B}aff\u{00AD}able\u{0007}") == ids("[CLS]", "un", "##aff", "##able", "[SEP]"))
        #expect(tokenizer.encode("a\u{00A0}a") == ids("[CLS]", "a", "a", "[SEP]"))
    }

    @Test func vocabularyWithoutSpecialTokensIsRejected() {
        #expect(throws: EmbeddingError.self) {
            try WordPieceTokenizer(tokens: [Array("hello".utf8)], source: "test")
        }
    }
}
