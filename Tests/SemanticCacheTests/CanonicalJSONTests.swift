import Testing
@testable import SemanticCache

@Suite struct CanonicalJSONTests {
    private func canonical(_ text: String) throws -> String {
        String(decoding: try JSONValue.parse(text).canonicalBytes, as: UTF8.self)
    }

    @Test func sortsKeysByUTF8BytesAndDropsWhitespace() throws {
        #expect(try canonical(#" { "b" : 1 , "a" : { "z": [ 1 , 2 ], "Z": null } } "#) == #"{"a":{"Z":null,"z":[1,2]},"b":1}"#)
        // Byte order, not Unicode or locale order: "B" (0x42) < "a" (0x61) < "é" (0xC3 0xA9) < "😀" (0xF0 ...).
        #expect(try canonical(#"{"😀":1,"é":2,"a":3,"B":4}"#) == #"{"B":4,"a":3,"é":2,"😀":1}"#)
        // A key that is a prefix of another sorts first.
        #expect(try canonical(#"{"ab":1,"a":2}"#) == #"{"a":2,"ab":1}"#)
    }

    @Test(arguments: [
        ("1", "1"), ("1.0", "1"), ("1e0", "1"), ("10E-1", "1"), ("0.1e1", "1"), ("100e-2", "1"),
        ("-0", "0"), ("0.0", "0"), ("-0.0e10", "0"), ("0e-7", "0"),
        ("-1", "-1"), ("-1.50", "-1.5"), ("0.5", "0.5"), ("5e-1", "0.5"), ("12.340", "12.34"),
        ("1e2", "100"), ("1.5e2", "150"), ("100", "100"), ("1e20", "100000000000000000000"), ("1e21", "1e21"),
        ("100000000000000000000", "100000000000000000000"), ("1000000000000000000000", "1e21"),
        ("123456789012345678901", "123456789012345678901"), ("-1234567890123456789012", "-1.234567890123456789012e21"),
        ("0.000001", "0.000001"), ("1e-7", "1e-7"), ("12e-8", "1.2e-7"), ("1.25e-10", "1.25e-10"),
        ("123456789012345678901234567890", "1.2345678901234567890123456789e29"),
        ("1e999999", "1e999999"), ("10e999998", "1e999999"), ("-1E-999999", "-1e-999999"),
        ("1e0000000000000000000003", "1000"),
        ("3.14159265358979323846264338327950288419716939937510", "3.1415926535897932384626433832795028841971693993751"),
    ])
    func normalisesNumbersOnTheDecimalText(input: String, expected: String) throws {
        #expect(try canonical(input) == expected)
        #expect(JSONNumber(input)?.canonicalText == expected)
    }

    @Test func keepsEveryDigitOfHugeIntegers() throws {
        let digits = "1" + String(repeating: "234567890", count: 45)  // 406 digits
        // 406 digits ending in one zero: beyond 21 digits the layout is scientific, with every digit kept.
        #expect(try canonical(digits) == "1." + digits.dropFirst().dropLast() + "e405")
        let other = "1" + String(repeating: "234567890", count: 44) + "234567891"
        #expect(try canonical(digits) != canonical(other))
    }

    @Test func absurdExponentsKeepTheirText() throws {
        let text = "1e" + String(repeating: "9", count: 30)
        #expect(try canonical(text) == text)
        #expect(try canonical("2" + text.dropFirst()) != canonical(text))
    }

    @Test func numberEqualityFollowsTheValue() {
        #expect(JSONNumber("1.0") == JSONNumber("1"))
        #expect(JSONNumber("-0") == JSONNumber("0"))
        #expect(JSONNumber("1.01") != JSONNumber("1.1"))
        #expect(JSONNumber("1e2")?.int == 100)
        #expect(JSONNumber("1.5")?.int == nil)
        #expect(JSONNumber("99999999999999999999")?.int == nil)
        #expect(JSONNumber("1.") == nil)
        #expect(JSONNumber("") == nil)
        #expect(JSONNumber(.infinity) == nil)
        #expect(JSONNumber(0.25)?.text == "0.25")
        #expect(Set([JSONNumber("10E-1")!, JSONNumber("1")!]).count == 1)
    }

    @Test func escapesStringsMinimally() throws {
        #expect(try canonical(#""\u0041\/\u00e9\ud83d\ude00""#) == "\"A/é😀\"")
        #expect(try canonical(#""\"\\\b\f\n\r\t\u0000\u001f\u007f\u2028""#) == "\"\\\"\\\\\\b\\f\\n\\r\\t\\u0000\\u001f\u{7F}\u{2028}\"")
    }

    @Test func doesNotNormaliseUnicode() throws {
        // Compared as bytes: Swift's String == would call the two spellings equal.
        let precomposed = try JSONValue.parse("\"\u{E9}\"").canonicalBytes
        let decomposed = try JSONValue.parse("\"e\u{301}\"").canonicalBytes
        #expect(precomposed == [0x22, 0xC3, 0xA9, 0x22])
        #expect(decomposed == [0x22, 0x65, 0xCC, 0x81, 0x22])
    }

    @Test func compactKeepsOrderAndNumberText() throws {
        let value = try JSONValue.parse(#"{ "b": 1.50, "a": [ true, "x\ny" ] }"#)
        #expect(String(decoding: value.compactBytes, as: UTF8.self) == #"{"b":1.50,"a":[true,"x\ny"]}"#)
        #expect(try JSONValue.parse(value.compactBytes) == value)
    }

    @Test func literalsBuildValues() {
        let value: JSONValue = ["a": 1, "b": [true, nil, "s", 2.5], "a": 3]
        #expect(value.description == #"{"a":3,"b":[true,null,"s",2.5]}"#)
        #expect(JSONValue(floatLiteral: .nan) == .null)
    }

    @Test func equalityIgnoresMemberOrderButNotValues() throws {
        #expect(try JSONValue.parse(#"{"a":1,"b":[1.0]}"#) == JSONValue.parse(#"{"b":[1],"a":1e0}"#))
        #expect(try JSONValue.parse(#"{"a":1}"#) != JSONValue.parse(#"{"a":1,"b":2}"#))
        #expect(try JSONValue.parse(#"{"a":1,"c":2}"#) != JSONValue.parse(#"{"a":1,"b":2}"#))
        #expect(try JSONValue.parse("[1,2]") != JSONValue.parse("[2,1]"))
        #expect(JSONValue.null != .bool(false))
    }

    @Test func memberHelpers() {
        let value: JSONValue = ["a": 1, "b": 2, "c": 3]
        #expect(value.removingMembers(["b", "x"]).description == #"{"a":1,"c":3}"#)
        #expect(value.settingMember("b", to: "x").description == #"{"a":1,"b":"x","c":3}"#)
        #expect(value.settingMember("d", to: nil).description == #"{"a":1,"b":2,"c":3,"d":null}"#)
        #expect(JSONValue.array([]).settingMember("a", to: 1) == .array([]))
    }

    /// Random JSON, written with random whitespace, key order, number spellings, escapes and overridden
    /// duplicate keys: every spelling must give the same canonical bytes, and those must parse back to
    /// an equal value whose canonical form is itself.
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func everySpellingHasTheSameCanonicalForm(seed: UInt64) throws {
        var random = RandomJSON(generator: SeededGenerator(seed: seed))
        for _ in 0..<150 {
            let (value, spelling) = random.value()
            let expected = value.canonicalBytes
            for _ in 0..<3 {
                let text = random.write(spelling)
                let parsed = try JSONValue.parse(text)
                #expect(parsed.canonicalBytes == expected, "\(text)")
                #expect(parsed == value)
            }
            // Keys are hashed from the token tape: it must agree with the tree's canonical form.
            var fromTape: [UInt8] = []
            try JSONTape(parsing: Array(random.write(spelling).utf8)).writeCanonical(to: &fromTape)
            #expect(fromTape == expected)
            let reparsed = try JSONValue.parse(expected)
            #expect(reparsed.canonicalBytes == expected)
            #expect(try JSONValue.parse(value.compactBytes) == value)
        }
    }

    /// The canonical number text denotes the same value as the original, as far as Double can tell.
    @Test(arguments: [11, 12, 13] as [UInt64])
    func canonicalNumbersKeepTheirValue(seed: UInt64) throws {
        var random = RandomJSON(generator: SeededGenerator(seed: seed))
        for _ in 0..<2_000 {
            let text = random.spell(random.randomNumber())
            let number = try #require(JSONNumber(text))
            let canonical = try #require(JSONNumber(number.canonicalText), "\(text) → \(number.canonicalText)")
            if let original = number.double, original != 0 {
                #expect(canonical.double == original, "\(text) → \(number.canonicalText)")
            }
            #expect(canonical.canonicalText == number.canonicalText)
        }
    }
}
