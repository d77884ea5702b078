#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A validated JSON document kept as its bytes plus a flat list of tokens that point into them.
///
/// Parsing to a tape allocates two arrays, whatever the document holds: no `String`, no array per
/// container. Requests are analysed on the tape (``JSONCursor``) and hashed from it
/// (``writeCanonical(excludingTopLevelKeys:recordingStrings:to:)``); ``JSONValue`` trees are built
/// from it only when a caller wants one.
///
/// A final class with immutable stored properties (so `Sendable`): cursors share it with one reference count.
final class JSONTape: Sendable {
    enum Kind: UInt8, Sendable {
        case null, `true`, `false`, number, string, array, object
    }

    /// One value. Objects are followed by their members as alternating key and value tokens, arrays by their elements.
    struct Token: Sendable {
        var kind: Kind
        /// Strings only: the raw text contains backslash escapes.
        var hasEscapes: Bool
        /// Scalars: first byte (for strings, the byte after the opening quote). Containers: the opening bracket.
        var start: Int
        /// Scalars: the byte after the value (for strings, the closing quote). Containers: the index of the
        /// first token after the container, so a whole container is skipped in O(1).
        var end: Int
        /// Containers: the number of elements (arrays) or members (objects, duplicates included).
        var count: Int
    }

    let bytes: [UInt8]
    let tokens: [Token]

    /// Parses `bytes` strictly (see ``JSONValue/parse(_:maxDepth:)`` for the rules).
    init(parsing bytes: [UInt8], maxDepth: Int = JSONValue.defaultMaxDepth) throws(JSONParseError) {
        let tokens = try bytes.withUnsafeBufferPointer { buffer throws(JSONParseError) in
            var parser = JSONTapeParser(buffer, maxDepth: maxDepth)
            return try parser.parse()
        }
        self.bytes = bytes
        self.tokens = tokens
    }

    /// The root value.
    var root: JSONCursor { JSONCursor(tape: self, index: 0) }

    /// The index of the token after the value at `index` (skipping a whole container).
    func next(after index: Int) -> Int {
        let token = tokens[index]
        return token.kind == .array || token.kind == .object ? token.end : index + 1
    }

    /// The unescaped UTF-8 bytes of the string token at `index`.
    func stringBytes(_ index: Int) -> [UInt8] {
        let token = tokens[index]
        guard token.hasEscapes else { return Array(bytes[token.start..<token.end]) }
        return bytes.withUnsafeBufferPointer { JSONTape.unescape($0, token.start..<token.end) }
    }

    /// Whether the string token at `index` unescapes to exactly the UTF-8 bytes of `text`.
    func string(at index: Int, equals text: String) -> Bool {
        let token = tokens[index]
        guard !token.hasEscapes else { return stringBytes(index).elementsEqual(text.utf8) }
        let count = token.end - token.start
        guard count == text.utf8.count else { return false }
        guard count > 0 else { return true }
        let equal = text.utf8.withContiguousStorageIfAvailable { wanted in
            bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + token.start, wanted.baseAddress!, count) == 0 }
        }
        return equal ?? bytes[token.start..<token.end].elementsEqual(text.utf8)
    }

    /// Decodes validated string content (escapes already checked by the parser).
    static func unescape(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(range.count)
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\") else {
                output.append(byte)
                index += 1
                continue
            }
            let escaped = bytes[index + 1]
            index += 2
            switch escaped {
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(bytes, at: index)
                index += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (hex4(bytes, at: index + 2) - 0xDC00)
                    index += 6
                }
                if let unicodeScalar = Unicode.Scalar(scalar) {
                    UTF8.encode(unicodeScalar) { output.append($0) }
                }
            default: output.append(escaped)  // " \ /
            }
        }
        return output
    }

    /// The value of four hexadecimal digits (validated by the parser).
    static func hex4(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt32 {
        var value: UInt32 = 0
        for offset in 0..<4 {
            let digit = bytes[index + offset]
            let nibble: UInt8 = switch digit {
            case 0x30...0x39: digit - 0x30
            case 0x41...0x46: digit - 0x41 + 10
            default: digit - 0x61 + 10
            }
            value = value << 4 | UInt32(nibble)
        }
        return value
    }
}
