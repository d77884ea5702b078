/// A JSON text that could not be parsed, with the byte offset where parsing stopped.
///
/// The message names what was found and what was expected, for example
/// `expected ':' after an object key at byte 17`.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Zero-based byte offset in the input where the problem was detected.
    public let offset: Int
    private let reason: Reason

    enum Reason: Sendable, Equatable {
        case emptyInput
        case unexpectedEnd(expected: String)
        case unexpectedByte(UInt8, expected: String)
        case trailingData
        case invalidNumber(String)
        case invalidEscape
        case invalidUnicodeEscape
        case loneSurrogate
        case controlCharacterInString(UInt8)
        case invalidUTF8
        case tooDeep(limit: Int)
    }

    init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    /// A human-readable explanation, without the offset.
    public var message: String {
        switch reason {
        case .emptyInput:
            "the input is empty; a JSON text needs at least one value"
        case .unexpectedEnd(let expected):
            "the input ended early; expected \(expected)"
        case .unexpectedByte(let byte, let expected):
            "unexpected \(Self.describe(byte)); expected \(expected)"
        case .trailingData:
            "unexpected data after the end of the JSON value"
        case .invalidNumber(let detail):
            "invalid number: \(detail)"
        case .invalidEscape:
            "invalid escape sequence in a string; allowed are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX"
        case .invalidUnicodeEscape:
            "invalid \\u escape; it needs exactly four hexadecimal digits"
        case .loneSurrogate:
            "a \\u escape encodes a lone UTF-16 surrogate; a high surrogate (D800–DBFF) must be followed by a low one (DC00–DFFF)"
        case .controlCharacterInString(let byte):
            "unescaped control character \(Self.describe(byte)) in a string; write it as a \\u escape"
        case .invalidUTF8:
            "invalid UTF-8 byte sequence; JSON text must be UTF-8"
        case .tooDeep(let limit):
            "arrays and objects are nested more than \(limit) levels deep"
        }
    }

    public var description: String { "\(message) (at byte \(offset))" }

    private static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F {
            return "'\(Character(Unicode.Scalar(byte)))'"
        }
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x\(hex.count == 1 ? "0" + hex : hex)"
    }
}
