extension JSONValue {
    /// The nesting depth ``parse(_:maxDepth:)`` accepts by default.
    public static let defaultMaxDepth = 512

    /// Parses one JSON text (RFC 8259, strict).
    ///
    /// - Only UTF-8 input is accepted; an invalid byte sequence is an error (also inside strings).
    /// - `\u` escapes must form valid UTF-16: a lone surrogate is an error, never replaced by U+FFFD,
    ///   so two different inputs cannot turn into the same string.
    /// - A key repeated in one object keeps its **last** value, at the position of its first occurrence
    ///   (as JavaScript's `JSON.parse` does).
    /// - Numbers are kept as their exact text (``JSONNumber``), so huge values neither overflow nor lose digits.
    /// - Arrays and objects nested deeper than `maxDepth` are an error, not a stack overflow.
    /// - Leading and trailing whitespace is allowed; anything else after the value is an error.
    public static func parse(_ bytes: some Collection<UInt8>, maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError>? = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONParseError) in
                var parser = JSONParser(buffer, maxDepth: maxDepth)
                return try parser.parseDocument()
            }
        }
        if let result { return try result.get() }
        let copy = Array(bytes)
        return try copy.withUnsafeBufferPointer { buffer throws(JSONParseError) in
            var parser = JSONParser(buffer, maxDepth: maxDepth)
            return try parser.parseDocument()
        }
    }

    /// Parses the UTF-8 bytes of `text` as one JSON text; see ``parse(_:maxDepth:)``.
    public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        try parse(text.utf8, maxDepth: maxDepth)
    }
}

/// A recursive-descent parser over contiguous bytes; depth is bounded by `maxDepth`.
struct JSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let maxDepth: Int
    private var index = 0
    private var depth = 0
    /// Reused buffer for strings with escapes.
    private var scratch: [UInt8] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        guard index < bytes.count else {
            throw JSONParseError(bytes.isEmpty ? .emptyInput : .unexpectedEnd(expected: "a JSON value"), at: index)
        }
        let value = try parseValue()
        skipWhitespace()
        guard index == bytes.count else { throw JSONParseError(.trailingData, at: index) }
        return value
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

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw JSONParseError(.unexpectedEnd(expected: "a JSON value"), at: index) }
        switch bytes[index] {
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), 0x30...0x39: return .number(try parseNumber())
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

    private mutating func enterContainer() throws(JSONParseError) {
        depth += 1
        guard depth <= maxDepth else { throw JSONParseError(.tooDeep(limit: maxDepth), at: index) }
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        index += 1
        var elements: [JSONValue] = []
        elements.reserveCapacity(4)
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw JSONParseError(.unexpectedEnd(expected: "',' or ']'"), at: index) }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                depth -= 1
                return .array(elements)
            case let byte: throw JSONParseError(.unexpectedByte(byte, expected: "',' or ']' in an array"), at: index)
            }
        }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        index += 1
        var members: [(key: String, value: JSONValue)] = []
        members.reserveCapacity(8)
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw JSONParseError(.unexpectedEnd(expected: "an object key"), at: index) }
            guard bytes[index] == UInt8(ascii: "\"") else {
                throw JSONParseError(.unexpectedByte(bytes[index], expected: "a string key in an object"), at: index)
            }
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count else { throw JSONParseError(.unexpectedEnd(expected: "':'"), at: index) }
            guard bytes[index] == UInt8(ascii: ":") else {
                throw JSONParseError(.unexpectedByte(bytes[index], expected: "':' after an object key"), at: index)
            }
            index += 1
            skipWhitespace()
            members.append((key, try parseValue()))
            skipWhitespace()
            guard index < bytes.count else { throw JSONParseError(.unexpectedEnd(expected: "',' or '}'"), at: index) }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                depth -= 1
                return .object(Self.resolvingDuplicateKeys(members))
            case let byte: throw JSONParseError(.unexpectedByte(byte, expected: "',' or '}' in an object"), at: index)
            }
        }
    }

    /// Keeps one member per key: the last value, at the first position.
    private static func resolvingDuplicateKeys(_ members: [(key: String, value: JSONValue)]) -> [(key: String, value: JSONValue)] {
        guard members.count > 1 else { return members }
        if members.count <= 16 {
            var hasDuplicate = false
            outer: for i in 1..<members.count {
                for j in 0..<i where utf8Equal(members[i].key, members[j].key) {
                    hasDuplicate = true
                    break outer
                }
            }
            guard hasDuplicate else { return members }
        }
        var positions: [UTF8Key: Int] = [:]
        positions.reserveCapacity(members.count)
        var result: [(key: String, value: JSONValue)] = []
        result.reserveCapacity(members.count)
        for member in members {
            if let position = positions[UTF8Key(member.key)] {
                result[position].value = member.value
            } else {
                positions[UTF8Key(member.key)] = result.count
                result.append(member)
            }
        }
        return result
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
        let start = index
        guard let end = JSONNumber.grammarEnd(bytes, from: start) else {
            throw JSONParseError(.invalidNumber("digits must follow '-', '.', and 'e'; no leading '+' or '.'"), at: start)
        }
        if end < bytes.count, JSONNumber.isDigit(bytes[end]) {
            throw JSONParseError(.invalidNumber("leading zeros are not allowed"), at: start)
        }
        index = end
        return JSONNumber(validatedText: String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
    }

    /// Parses a string starting at the opening quote; validates UTF-8 and escapes.
    private mutating func parseString() throws(JSONParseError) -> String {
        index += 1
        let start = index
        // Fast path: no escapes.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            } else if byte == UInt8(ascii: "\\") {
                break
            } else if byte < 0x20 {
                throw JSONParseError(.controlCharacterInString(byte), at: index)
            } else if byte < 0x80 {
                index += 1
            } else {
                try skipUTF8Sequence()
            }
        }
        guard index < bytes.count else { throw JSONParseError(.unexpectedEnd(expected: "'\"' to close the string"), at: index) }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: scratch, as: UTF8.self)
            } else if byte == UInt8(ascii: "\\") {
                try appendEscape()
            } else if byte < 0x20 {
                throw JSONParseError(.controlCharacterInString(byte), at: index)
            } else if byte < 0x80 {
                scratch.append(byte)
                index += 1
            } else {
                let sequenceStart = index
                try skipUTF8Sequence()
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[sequenceStart..<index]))
            }
        }
        throw JSONParseError(.unexpectedEnd(expected: "'\"' to close the string"), at: index)
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
        guard index + length <= bytes.count else { throw JSONParseError(.invalidUTF8, at: index) }
        guard secondRange.contains(bytes[index + 1]) else { throw JSONParseError(.invalidUTF8, at: index) }
        for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 {
            throw JSONParseError(.invalidUTF8, at: index)
        }
        index += length
    }

    private mutating func appendEscape() throws(JSONParseError) {
        let escapeStart = index
        index += 1
        guard index < bytes.count else { throw JSONParseError(.unexpectedEnd(expected: "an escape sequence"), at: index) }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(byte)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try readHex4()
            var scalarValue = UInt32(unit)
            if (0xD800...0xDBFF).contains(unit) {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw JSONParseError(.loneSurrogate, at: escapeStart)
                }
                index += 2
                let low = try readHex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw JSONParseError(.loneSurrogate, at: escapeStart) }
                scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(unit) {
                throw JSONParseError(.loneSurrogate, at: escapeStart)
            }
            guard let scalar = Unicode.Scalar(scalarValue) else { throw JSONParseError(.loneSurrogate, at: escapeStart) }
            UTF8.encode(scalar) { scratch.append($0) }
        default:
            throw JSONParseError(.invalidEscape, at: escapeStart)
        }
    }

    private mutating func readHex4() throws(JSONParseError) -> UInt16 {
        guard index + 4 <= bytes.count else { throw JSONParseError(.invalidUnicodeEscape, at: index) }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x41 + 10
            case 0x61...0x66: digit = byte - 0x61 + 10
            default: throw JSONParseError(.invalidUnicodeEscape, at: index)
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }
}

/// A string hashed and compared by its UTF-8 bytes.
struct UTF8Key: Hashable {
    let string: String
    init(_ string: String) { self.string = string }
    static func == (lhs: UTF8Key, rhs: UTF8Key) -> Bool { utf8Equal(lhs.string, rhs.string) }
    func hash(into hasher: inout Hasher) {
        for byte in string.utf8 { hasher.combine(byte) }
    }
}
