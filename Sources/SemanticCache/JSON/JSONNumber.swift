/// A JSON number kept exactly as its decimal text, so that no value is lost or rounded.
///
/// Numbers of any size (`1e999999`, a 400-digit integer) are kept without overflow; ``double``
/// converts on demand. Two numbers are equal when they denote the same decimal value:
/// `1`, `1.0`, `1e0` and `10E-1` are equal, and so are `-0` and `0`.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number's text, valid per RFC 8259 (for example `-12.5e3`).
    public let text: String

    /// Wraps number text that is already known to follow the RFC 8259 grammar.
    init(validatedText: String) {
        self.text = validatedText
    }

    /// Creates a number from text, or `nil` if the text is not a JSON number (RFC 8259 §6).
    public init?(_ text: String) {
        var text = text
        let valid = text.withUTF8 { !$0.isEmpty && JSONNumber.grammarEnd($0, from: 0) == $0.count }
        guard valid else { return nil }
        self.text = text
    }

    /// Creates a number from an integer.
    public init(_ value: Int) {
        self.text = String(value)
    }

    /// Creates a number from a finite `Double` (its shortest round-tripping decimal form), or `nil` for NaN and infinities.
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        self.text = value.description
    }

    /// The nearest `Double`, or `nil` when the value does not fit (overflows to infinity).
    public var double: Double? {
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// The value as an `Int` when it is an integer that fits (`3`, `3.0` and `3e0` all give 3).
    public var int: Int? {
        let canonical = canonicalText
        guard canonical.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || ($0 >= 0x30 && $0 <= 0x39) }) else { return nil }
        return Int(canonical)
    }

    public var description: String { text }

    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        lhs.text == rhs.text || lhs.canonicalText == rhs.canonicalText
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(canonicalText)
    }

    /// The canonical decimal text of the value (see ``canonicalText``) appended to `output`.
    func appendCanonical(to output: inout [UInt8]) {
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { JSONNumber.appendCanonical(of: $0, to: &output) }
        if done == nil {
            Array(text.utf8).withUnsafeBufferPointer { JSONNumber.appendCanonical(of: $0, to: &output) }
        }
    }

    /// The value in one fixed form, computed on the decimal text: `-0` → `0`, `1.0` and `10E-1` → `1`,
    /// `0.50` → `0.5`, `1e25` → `1e25`, `12e-8` → `1.2e-7`. The rules follow JavaScript's number-to-string
    /// layout: plain integers up to 21 digits, plain decimals down to 1e-6, scientific notation beyond.
    public var canonicalText: String {
        var output: [UInt8] = []
        appendCanonical(to: &output)
        return String(decoding: output, as: UTF8.self)
    }
}

extension JSONNumber {
    /// Returns the index just past a number that starts at `start`, or `nil` if the grammar is violated there.
    /// Does not check what follows the number.
    static func grammarEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start
        let count = bytes.count
        if index < count && bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < count, isDigit(bytes[index]) else { return nil }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < count && isDigit(bytes[index]) { index += 1 }
        }
        if index < count && bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < count, isDigit(bytes[index]) else { return nil }
            while index < count && isDigit(bytes[index]) { index += 1 }
        }
        if index < count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            index += 1
            if index < count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) { index += 1 }
            guard index < count, isDigit(bytes[index]) else { return nil }
            while index < count && isDigit(bytes[index]) { index += 1 }
        }
        return index
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// Appends the canonical form of grammatically valid number text.
    static func appendCanonical(of text: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        // Fast path: a plain integer of at most 21 digits is already canonical (except "-0"); the grammar
        // rules out leading zeros.
        let unsigned = text.first == UInt8(ascii: "-") ? UnsafeBufferPointer(rebasing: text.dropFirst()) : text
        if unsigned.count <= 21 && unsigned.allSatisfy(isDigit) {
            if text.count == 2 && text[0] == UInt8(ascii: "-") && text[1] == UInt8(ascii: "0") {
                output.append(UInt8(ascii: "0"))
            } else {
                output.append(contentsOf: text)
            }
            return
        }
        var index = 0
        let negative = text[0] == UInt8(ascii: "-")
        if negative { index = 1 }
        let mantissaStart = index
        var mantissaEnd = index
        var pointIndex: Int? = nil
        while mantissaEnd < text.count, isDigit(text[mantissaEnd]) || text[mantissaEnd] == UInt8(ascii: ".") {
            if text[mantissaEnd] == UInt8(ascii: ".") { pointIndex = mantissaEnd }
            mantissaEnd += 1
        }
        // The exponent written in the text; absurdly long exponents keep the original text (see below).
        var writtenExponent = 0
        if mantissaEnd < text.count {
            var exponentIndex = mantissaEnd + 1
            var exponentNegative = false
            if text[exponentIndex] == UInt8(ascii: "+") || text[exponentIndex] == UInt8(ascii: "-") {
                exponentNegative = text[exponentIndex] == UInt8(ascii: "-")
                exponentIndex += 1
            }
            while exponentIndex < text.count - 1 && text[exponentIndex] == UInt8(ascii: "0") { exponentIndex += 1 }
            guard text.count - exponentIndex <= 15 else {
                // |exponent| ≥ 10^15 does not occur in real requests: keep the original text. It spells exactly
                // this value, so two different values never share a canonical form (two spellings of one
                // such value may differ, which only costs a cache miss).
                output.append(contentsOf: text)
                return
            }
            for position in exponentIndex..<text.count {
                writtenExponent = writtenExponent * 10 + Int(text[position] - 0x30)
            }
            if exponentNegative { writtenExponent = -writtenExponent }
        }
        // Significant digits (no leading zeros) and the power of ten of the last digit kept.
        var digits: [UInt8] = []
        digits.reserveCapacity(mantissaEnd - mantissaStart)
        var lastDigitExponent = writtenExponent - (pointIndex.map { mantissaEnd - $0 - 1 } ?? 0)
        for position in mantissaStart..<mantissaEnd where text[position] != UInt8(ascii: ".") {
            if digits.isEmpty && text[position] == UInt8(ascii: "0") { continue }
            digits.append(text[position])
        }
        while let last = digits.last, last == UInt8(ascii: "0") {
            digits.removeLast()
            lastDigitExponent += 1
        }
        guard !digits.isEmpty else {
            output.append(UInt8(ascii: "0"))
            return
        }
        if negative { output.append(UInt8(ascii: "-")) }
        appendLayout(digits: digits, lastDigitExponent: lastDigitExponent, to: &output)
    }

    /// Lays out `digits × 10^lastDigitExponent` (digits without leading or trailing zeros).
    private static func appendLayout(digits: [UInt8], lastDigitExponent: Int, to output: inout [UInt8]) {
        let count = digits.count
        let pointPosition = count + lastDigitExponent  // value = 0.digits × 10^pointPosition
        if lastDigitExponent >= 0 && pointPosition <= 21 {
            output.append(contentsOf: digits)
            output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: lastDigitExponent))
        } else if lastDigitExponent < 0 && pointPosition > 0 {
            output.append(contentsOf: digits[..<pointPosition])
            output.append(UInt8(ascii: "."))
            output.append(contentsOf: digits[pointPosition...])
        } else if pointPosition <= 0 && pointPosition > -6 {
            output.append(UInt8(ascii: "0"))
            output.append(UInt8(ascii: "."))
            output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -pointPosition))
            output.append(contentsOf: digits)
        } else {
            output.append(digits[0])
            if count > 1 {
                output.append(UInt8(ascii: "."))
                output.append(contentsOf: digits[1...])
            }
            output.append(UInt8(ascii: "e"))
            output.append(contentsOf: String(pointPosition - 1).utf8)
        }
    }
}
