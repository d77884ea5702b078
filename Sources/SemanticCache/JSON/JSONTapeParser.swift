/// The strict RFC 8259 validator that builds a ``JSONTape``. Iterative, with an explicit container stack
/// bounded by `maxDepth`, so no input can overflow the call stack.
struct JSONTapeParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let maxDepth: Int
    private var index = 0
    private var tokens: [JSONTape.Token] = []
    private var open: [Container] = []

    private struct Container {
        let token: Int
        let isObject: Bool
        var count = 0
    }

    init(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
        tokens.reserveCapacity(bytes.count / 8 + 4)
    }

    mutating func parse() throws(JSONParseError) -> [JSONTape.Token] {
        skipWhitespace()
        guard index < bytes.count else {
            throw JSONParseError(bytes.isEmpty ? .emptyInput : .unexpectedEnd(expected: "a JSON value"), at: index)
        }
        try parseValue()
        while let container = open.last {
            skipWhitespace()
            let closer = container.isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
            let separators = container.isObject ? "',' or '}'" : "',' or ']'"
            guard index < bytes.count else { throw JSONParseError(.unexpectedEnd(expected: separators), at: index) }
            let byte = bytes[index]
            if byte == closer {
                index += 1
                tokens[container.token].end = tokens.count
                tokens[container.token].count = container.count
                open.removeLast()
            } else if container.count == 0 {
                try parseElement(inObject: container.isObject)
            } else if byte == UInt8(ascii: ",") {
                index += 1
                skipWhitespace()
                try parseElement(inObject: container.isObject)
            } else {
                let place = container.isObject ? "an object" : "an array"
                throw JSONParseError(.unexpectedByte(byte, expected: "\(separators) in \(place)"), at: index)
            }
        }
        skipWhitespace()
        guard index == bytes.count else { throw JSONParseError(.trailingData, at: index) }
        return tokens
    }

    /// One array element, or one object member (`"key": value`).
    private mutating func parseElement(inObject: Bool) throws(JSONParseError) {
        open[open.count - 1].count += 1
        if inObject {
            guard index < bytes.count else { throw JSONParseError(.unexpectedEnd(expected: "an object key"), at: index) }
            guard bytes[index] == UInt8(ascii: "\"") else {
                throw JSONParseError(.unexpectedByte(bytes[index], expected: "a string key in an object"), at: index)
            }
            try parseString()
            skipWhitespace()
            guard index < bytes.count else { throw JSONParseError(.unexpectedEnd(expected: "':'"), at: index) }
            guard bytes[index] == UInt8(ascii: ":") else {
                throw JSONParseError(.unexpectedByte(bytes[index], expected: "':' after an object key"), at: index)
            }
            index += 1
            skipWhitespace()
        }
        try parseValue()
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func appendScalar(_ kind: JSONTape.Kind, from start: Int) {
        tokens.append(JSONTape.Token(kind: kind, hasEscapes: false, start: start, end: index, count: 0))
    }

    private mutating func parseValue() throws(JSONParseError) {
        guard index < bytes.count else { throw JSONParseError(.unexpectedEnd(expected: "a JSON value"), at: index) }
        let start = index
        switch bytes[index] {
        case UInt8(ascii: "\""): try parseString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard open.count < maxDepth else { throw JSONParseError(.tooDeep(limit: maxDepth), at: index) }
            let isObject = bytes[index] == UInt8(ascii: "{")
            open.append(Container(token: tokens.count, isObject: isObject))
            tokens.append(JSONTape.Token(kind: isObject ? .object : .array, hasEscapes: false, start: index, end: 0, count: 0))
            index += 1
            skipWhitespace()
        case UInt8(ascii: "t"): try expectLiteral("true"); appendScalar(.true, from: start)
        case UInt8(ascii: "f"): try expectLiteral("false"); appendScalar(.false, from: start)
        case UInt8(ascii: "n"): try expectLiteral("null"); appendScalar(.null, from: start)
        case UInt8(ascii: "-"), 0x30...0x39:
            guard let end = JSONNumber.grammarEnd(bytes, from: start) else {
                throw JSONParseError(.invalidNumber("digits must follow '-', '.', and 'e'; no leading '+' or '.'"), at: start)
            }
            if end < bytes.count, JSONNumber.isDigit(bytes[end]) {
                throw JSONParseError(.invalidNumber("leading zeros are not allowed"), at: start)
            }
            index = end
            appendScalar(.number, from: start)
        case let byte: throw JSONParseError(.unexpectedByte(byte, expected: "a JSON value"), at: index)
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let start = index
        for expected in UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount) {
            guard index < bytes.count else { throw JSONParseError(.unexpectedEnd(expected: "'\(literal)'"), at: index) }
            guard bytes[index] == expected else {
                throw JSONParseError(.unexpectedByte(bytes[index], expected: "'\(literal)'"), at: start)
            }
            index += 1
        }
    }

    /// Validates a string starting at its opening quote (UTF-8, escapes, surrogate pairs) and appends its token.
    private mutating func parseString() throws(JSONParseError) {
        index += 1
        let start = index
        var hasEscapes = false
        while true {
            skipPlainRun()
            guard index < bytes.count else {
                throw JSONParseError(.unexpectedEnd(expected: "'\"' to close the string"), at: index)
            }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                tokens.append(JSONTape.Token(kind: .string, hasEscapes: hasEscapes, start: start, end: index, count: 0))
                index += 1
                return
            } else if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                try validateEscape()
            } else if byte < 0x20 {
                throw JSONParseError(.controlCharacterInString(byte), at: index)
            } else if byte < 0x80 {
                index += 1
            } else {
                try skipUTF8Sequence()
            }
        }
    }

    /// Skips 8 bytes at a time while none is `"`, `\`, a control character or non-ASCII (SWAR).
    @inline(__always)
    private mutating func skipPlainRun() {
        guard let base = bytes.baseAddress else { return }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while index + 8 <= bytes.count {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            let special = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | (word &- ones &* 0x20) | word
            if special & highs != 0 { return }
            index += 8
        }
    }

    /// Advances over one well-formed multi-byte UTF-8 sequence (Unicode Table 3-7) or throws.
    private mutating func skipUTF8Sequence() throws(JSONParseError) {
        let lead = bytes[index]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: throw JSONParseError(.invalidUTF8, at: index)
        }
        guard index + length <= bytes.count, secondRange.contains(bytes[index + 1]) else {
            throw JSONParseError(.invalidUTF8, at: index)
        }
        for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 {
            throw JSONParseError(.invalidUTF8, at: index)
        }
        index += length
    }

    /// Validates one escape sequence starting at the backslash; a `\u` high surrogate must be followed by a low one.
    private mutating func validateEscape() throws(JSONParseError) {
        let escapeStart = index
        index += 1
        guard index < bytes.count else { throw JSONParseError(.unexpectedEnd(expected: "an escape sequence"), at: index) }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
             UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return
        case UInt8(ascii: "u"):
            let unit = try readHex4()
            if (0xD800...0xDBFF).contains(unit) {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw JSONParseError(.loneSurrogate, at: escapeStart)
                }
                index += 2
                guard (0xDC00...0xDFFF).contains(try readHex4()) else { throw JSONParseError(.loneSurrogate, at: escapeStart) }
            } else if (0xDC00...0xDFFF).contains(unit) {
                throw JSONParseError(.loneSurrogate, at: escapeStart)
            }
        default:
            throw JSONParseError(.invalidEscape, at: escapeStart)
        }
    }

    private mutating func readHex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw JSONParseError(.invalidUnicodeEscape, at: index) }
        for offset in 0..<4 {
            switch bytes[index + offset] {
            case 0x30...0x39, 0x41...0x46, 0x61...0x66: continue
            default: throw JSONParseError(.invalidUnicodeEscape, at: index + offset)
            }
        }
        defer { index += 4 }
        return JSONTape.hex4(bytes, at: index)
    }
}
