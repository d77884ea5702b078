import Foundation

/// BERT "basic tokenisation" for uncased models, matching Hugging Face's `BertNormalizer` +
/// `BertPreTokenizer` (the fast tokenizer sentence-transformers uses):
///
/// 1. clean: drop NUL, U+FFFD and every character of category C* (control, format such as
///    zero-width space and soft hyphen, unassigned, private use) except tab/CR/LF; map White_Space to a space;
/// 2. put spaces around CJK ideographs;
/// 3. strip accents: NFD, then drop non-spacing marks (Mn);
/// 4. lower-case each character on its own (full case mapping, no context rules);
/// 5. split on whitespace, and make every punctuation character (ASCII punctuation or Unicode P*) a word.
enum BertPreTokenizer {
    /// The words of `text`, each as its Unicode scalars.
    static func words(_ text: String) -> [[Unicode.Scalar]] {
        var cleaned = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value == 0 || scalar.value == 0xFFFD || isControl(scalar) { continue }
            if isWhitespace(scalar) {
                cleaned.append(" ")
            } else if isCJK(scalar) {
                cleaned.append(" ")
                cleaned.append(scalar)
                cleaned.append(" ")
            } else {
                cleaned.append(scalar)
            }
        }
        let decomposed = String(cleaned).decomposedStringWithCanonicalMapping

        var words: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        func flush() {
            if !current.isEmpty { words.append(current); current.removeAll(keepingCapacity: true) }
        }
        for scalar in decomposed.unicodeScalars where scalar.properties.generalCategory != .nonspacingMark {
            for lower in lowercased(scalar) {
                if isWhitespace(lower) {
                    flush()
                } else if isPunctuation(lower) {
                    flush()
                    words.append([lower])
                } else {
                    current.append(lower)
                }
            }
        }
        flush()
        return words
    }

    private static func lowercased(_ scalar: Unicode.Scalar) -> String.UnicodeScalarView {
        if scalar.isASCII {
            let value = scalar.value
            let lower = (0x41...0x5A).contains(value) ? Unicode.Scalar(UInt8(value + 0x20)) : scalar
            return String.UnicodeScalarView([lower])
        }
        return scalar.properties.lowercaseMapping.unicodeScalars
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\t", "\n", "\r": return false
        default:
            switch scalar.properties.generalCategory {
            case .control, .format, .unassigned, .privateUse, .surrogate: return true
            default: return false
            }
        }
    }

    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar.properties.isWhitespace
    }

    private static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if (33...47).contains(value) || (58...64).contains(value) || (91...96).contains(value) || (123...126).contains(value) {
            return true
        }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// The CJK Unified Ideographs blocks BERT treats as single-character words.
    private static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
             0x2B740...0x2B81F, 0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }
}
