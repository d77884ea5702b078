@testable import SemanticCache

/// Random JSON values and random (but equivalent) spellings of them, for property-style tests.
struct RandomJSON {
    var generator: SeededGenerator

    /// A random number as (negative, significant digits without leading zeros or "0", power of ten).
    struct Number {
        let negative: Bool
        let digits: String
        let exponent: Int
    }

    private static let alphabet: [Character] = Array("aZ09 _-/\\\"'\n\t\r\u{0}\u{1F}\u{7F}é€😀\u{2028}\u{FFFF}{}[]:,")

    mutating func value(depth: Int = 0) -> (JSONValue, Spelling) {
        let kind = depth > 3 ? Int.random(in: 0..<4, using: &generator) : Int.random(in: 0..<6, using: &generator)
        switch kind {
        case 0: return (.null, .literal("null"))
        case 1:
            let flag = Bool.random(using: &generator)
            return (.bool(flag), .literal(flag ? "true" : "false"))
        case 2:
            let number = randomNumber()
            let spelling = spell(number)
            return (.number(JSONNumber(spelling)!), .number(number))
        case 3:
            let text = randomString()
            return (.string(text), .string(text))
        case 4:
            let count = Int.random(in: 0..<5, using: &generator)
            let elements = (0..<count).map { _ in value(depth: depth + 1) }
            return (.array(elements.map(\.0)), .array(elements.map(\.1)))
        default:
            var keys: [String] = []
            while keys.count < Int.random(in: 0..<6, using: &generator) {
                let key = randomString()
                if !keys.contains(where: { $0.utf8.elementsEqual(key.utf8) }) { keys.append(key) }
            }
            let members = keys.map { key in (key, value(depth: depth + 1)) }
            return (.object(members.map { ($0.0, $0.1.0) }), .object(members.map { ($0.0, $0.1.1) }))
        }
    }

    mutating func randomNumber() -> Number {
        if Int.random(in: 0..<8, using: &generator) == 0 {
            return Number(negative: Bool.random(using: &generator), digits: "0", exponent: 0)
        }
        var digits = String(Int.random(in: 1...9, using: &generator))
        for _ in 0..<Int.random(in: 0..<25, using: &generator) { digits += String(Int.random(in: 0...9, using: &generator)) }
        let exponent = Int.random(in: 0..<10, using: &generator) == 0 ? Int.random(in: -400...400, using: &generator) : Int.random(in: -8...8, using: &generator)
        return Number(negative: Bool.random(using: &generator), digits: digits, exponent: exponent)
    }

    mutating func randomString() -> String {
        String((0..<Int.random(in: 0..<8, using: &generator)).map { _ in Self.alphabet.randomElement(using: &generator)! })
    }

    /// A valid JSON spelling of `digits × 10^exponent` with a random decimal point, padding and exponent form.
    mutating func spell(_ number: Number) -> String {
        let sign = number.negative ? "-" : ""
        if number.digits == "0" {
            return sign + ["0", "0.0", "0e5", "0.000E-3", "0E+0"].randomElement(using: &generator)!
        }
        let padding = Int.random(in: 0...2, using: &generator)
        let digits = number.digits + String(repeating: "0", count: padding)
        let pointPosition = Int.random(in: 0...digits.count, using: &generator)
        var mantissa: String
        if pointPosition == 0 {
            mantissa = "0." + digits
        } else if pointPosition == digits.count {
            mantissa = digits
        } else {
            mantissa = String(digits.prefix(pointPosition)) + "." + String(digits.dropFirst(pointPosition))
        }
        let writtenExponent = number.exponent - padding + (digits.count - pointPosition)
        if writtenExponent == 0 && Bool.random(using: &generator) { return sign + mantissa }
        let marker = Bool.random(using: &generator) ? "e" : "E"
        let exponentSign = writtenExponent < 0 ? "-" : (Bool.random(using: &generator) ? "+" : "")
        let leadingZero = Bool.random(using: &generator) ? "0" : ""
        return sign + mantissa + marker + exponentSign + leadingZero + String(abs(writtenExponent))
    }

    /// How a generated value is written; each `write` call may choose a different but equivalent spelling.
    indirect enum Spelling {
        case literal(String)
        case number(Number)
        case string(String)
        case array([Spelling])
        case object([(String, Spelling)])
    }

    mutating func write(_ spelling: Spelling) -> String {
        switch spelling {
        case .literal(let text): return text
        case .number(let number): return spell(number)
        case .string(let text): return quote(text)
        case .array(let elements):
            return "[" + space() + elements.map { write($0) }.joined(separator: space() + "," + space()) + space() + "]"
        case .object(let members):
            var written = members.shuffled(using: &generator).map { key, value in
                quote(key) + space() + ":" + space() + write(value)
            }
            // A repeated key whose earlier value is overridden by the later one (last wins).
            if let (key, _) = members.randomElement(using: &generator), Bool.random(using: &generator) {
                written.insert(quote(key) + ":" + #"{"overridden":[1,2]}"#, at: 0)
            }
            return "{" + space() + written.joined(separator: space() + "," + space()) + space() + "}"
        }
    }

    private mutating func space() -> String {
        String((0..<Int.random(in: 0...2, using: &generator)).map { _ in [" ", "\t", "\n", "\r"].randomElement(using: &generator)! })
    }

    private mutating func quote(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            let escapeAnyway = Int.random(in: 0..<4, using: &generator) == 0
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n" where !escapeAnyway: output += "\\n"
            case "\t" where !escapeAnyway: output += "\\t"
            case "/" where escapeAnyway: output += "\\/"
            case _ where scalar.value < 0x20 || escapeAnyway: output += utf16Escape(scalar)
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }

    private mutating func utf16Escape(_ scalar: Unicode.Scalar) -> String {
        UTF16.encode(scalar)!.map { unit in
            let hex = String(unit, radix: 16, uppercase: Bool.random(using: &generator))
            return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }.joined()
    }
}
