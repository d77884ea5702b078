import Testing
@testable import SemanticCache

@Suite struct JSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONValue.parse(#" { "a" : [1, -2.5e3, true, false, null, "x"], "b": {} , "c": [] } "#)
        #expect(value["a"]?[0]?.int == 1)
        #expect(value["a"]?[1]?.double == -2500)
        #expect(value["a"]?[2]?.bool == true)
        #expect(value["a"]?[3]?.bool == false)
        #expect(value["a"]?[4]?.isNull == true)
        #expect(value["a"]?[5]?.string == "x")
        #expect(value["b"]?.object?.isEmpty == true)
        #expect(value["c"]?.array?.isEmpty == true)
        #expect(value["missing"] == nil)
        #expect(value["a"]?[6] == nil)
        #expect(value["a"]?[-1] == nil)
    }

    @Test func keepsMemberOrder() throws {
        let value = try JSONValue.parse(#"{"z":1,"a":2,"m":3}"#)
        #expect(value.object?.map(\.key) == ["z", "a", "m"])
        #expect(String(decoding: value.compactBytes, as: UTF8.self) == #"{"z":1,"a":2,"m":3}"#)
    }

    @Test func scalarDocumentsAreAllowed() throws {
        #expect(try JSONValue.parse("42") == 42)
        #expect(try JSONValue.parse(#""hi""#) == "hi")
        #expect(try JSONValue.parse(" null\n") == .null)
    }

    @Test func duplicateKeysKeepTheLastValueAtTheFirstPosition() throws {
        let value = try JSONValue.parse(#"{"a":1,"b":2,"a":3}"#)
        #expect(value.object?.map(\.key) == ["a", "b"])
        #expect(value["a"] == 3)
        // More members than the small-object scan handles.
        let many = (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        let large = try JSONValue.parse("{\(many),\"k5\":\"last\"}")
        #expect(large.object?.count == 40)
        #expect(large["k5"] == "last")
        #expect(large.object?[5].key == "k5")
    }

    @Test func keysAreComparedByBytesNotByUnicodeEquivalence() throws {
        // "é" precomposed (U+00E9) and decomposed (e + U+0301) are different JSON keys.
        let value = try JSONValue.parse("{\"\u{E9}\":1,\"e\u{301}\":2}")
        #expect(value.object?.count == 2)
        #expect(value["\u{E9}"] == 1)
        #expect(value["e\u{301}"] == 2)
        #expect(JSONValue.string("\u{E9}") != JSONValue.string("e\u{301}"))
    }

    @Test func decodesEscapes() throws {
        let value = try JSONValue.parse(#""\" \\ \/ \b \f \n \r \t \u0041 \u00e9 \u20AC \ud83d\ude00""#)
        #expect(value.string == "\" \\ / \u{8} \u{C} \n \r \t A é € 😀")
    }

    @Test func acceptsRawMultibyteUTF8() throws {
        #expect(try JSONValue.parse("\"héllo 世界 🎉\"").string == "héllo 世界 🎉")
    }

    @Test(arguments: [
        ("", "empty"),
        ("   ", "ended early"),
        ("{", "ended early"),
        (#"{"a""#, "ended early"),
        (#"{"a":"#, "ended early"),
        (#"{"a":1"#, "ended early"),
        ("[1,2", "ended early"),
        (#""abc"#, "ended early"),
        ("[1,]", "unexpected ']'"),
        (#"{"a":1,}"#, "unexpected '}'"),
        ("{a:1}", "unexpected 'a'"),
        ("[1 2]", "unexpected '2'"),
        ("tru", "ended early"),
        ("nul", "ended early"),
        ("truth", "unexpected 't'"),
        ("1 2", "after the end"),
        ("{}x", "after the end"),
        ("01", "leading zeros"),
        ("-", "invalid number"),
        ("1.", "invalid number"),
        (".5", "unexpected '.'"),
        ("+1", "unexpected '+'"),
        ("1e", "invalid number"),
        ("1e+", "invalid number"),
        ("NaN", "unexpected 'N'"),
        ("Infinity", "unexpected 'I'"),
        (#""\x""#, "invalid escape"),
        (#""\u12G4""#, "\\u escape"),
        (#""\u12""#, "\\u escape"),
        (#""\ud800""#, "lone"),
        (#""\udc00""#, "lone"),
        (#""\ud800\u0041""#, "lone"),
        (#""\ud800x""#, "lone"),
        ("\"a\u{1}b\"", "control character"),
        ("\"a\nb\"", "control character"),
        ("[\"a\"\u{0}]", "unexpected byte 0x00"),
        ("'a'", "unexpected '''"),
    ])
    func rejectsMalformedInput(input: String, expected: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(input) }
        do {
            _ = try JSONValue.parse(input)
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }

    @Test func errorsCarryTheByteOffset() {
        #expect(throws: JSONParseError.self) { try JSONValue.parse("[1, 2, x]") }
        do {
            _ = try JSONValue.parse("[1, 2, x]")
        } catch {
            #expect(error.offset == 7)
            #expect(error.description.hasSuffix("(at byte 7)"))
        }
    }

    @Test(arguments: [
        [0x22, 0xFF, 0x22],  // 0xFF is never valid
        [0x22, 0xC3, 0x22],  // truncated 2-byte sequence
        [0x22, 0xC0, 0xAF, 0x22],  // overlong '/'
        [0x22, 0xE0, 0x80, 0xAF, 0x22],  // overlong 3-byte
        [0x22, 0xED, 0xA0, 0x80, 0x22],  // UTF-8 encoded surrogate U+D800
        [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // above U+10FFFF
        [0x22, 0xE2, 0x82, 0x22],  // truncated 3-byte sequence at the quote
        [0x22, 0x80, 0x22],  // lone continuation byte
        [0x22, 0xF0, 0x9F, 0x98],  // truncated at end of input
        [0x5B, 0xC3, 0xA9, 0x5D],  // non-ASCII outside a string
    ] as [[UInt8]])
    func rejectsInvalidUTF8(bytes: [UInt8]) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(bytes) }
    }

    @Test func invalidUTF8InAnEscapedStringIsAlsoRejected() {
        #expect(throws: JSONParseError.self) { try JSONValue.parse([0x22, 0x5C, 0x6E, 0xFF, 0x22]) }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(deep) }
        let deepObjects = String(repeating: #"{"a":"#, count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(deepObjects) }
        do {
            _ = try JSONValue.parse(deep)
        } catch {
            #expect(error.description.contains("nested more than 512"))
            #expect(error.offset == 512)
        }
    }

    @Test func nestingUpToTheLimitIsAccepted() throws {
        let limit = JSONValue.defaultMaxDepth
        let atLimit = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        var value = try JSONValue.parse(atLimit)
        var depth = 0
        while let inner = value.array {
            depth += 1
            guard let first = inner.first else { break }
            value = first
        }
        #expect(depth == limit)
        #expect(throws: JSONParseError.self) { try JSONValue.parse("[" + atLimit + "]") }
        #expect(throws: JSONParseError.self) { try JSONValue.parse("[[[]]]", maxDepth: 2) }
    }

    @Test func hugeNumbersAreKeptExactly() throws {
        let digits = String(repeating: "9", count: 400)
        let big = try JSONValue.parse("[\(digits), 1e999999, -1E-999999, 123456789012345678901234567890.5]")
        #expect(big[0]?.number?.text == digits)
        #expect(big[0]?.int == nil)
        #expect(big[0]?.double == nil)  // beyond Double's range
        #expect(big[1]?.number?.text == "1e999999")
        #expect(big[1]?.double == nil)
        #expect(big[2]?.double == -0.0)
        #expect(String(decoding: big.compactBytes, as: UTF8.self).contains(digits))
    }

    @Test func parsesFromNonContiguousCollections() throws {
        let bytes = Array(#"{"a":[1,2]}"#.utf8)
        let value = try JSONValue.parse(bytes.lazy.map { $0 })
        #expect(value["a"]?[1] == 2)
    }

    @Test func truncatedDocumentsFailAtEveryCut() throws {
        let text = #"{"model":"gpt-4o","messages":[{"role":"user","content":"h\u00e9llo \"x\""}],"temperature":0.5}"#
        let bytes = Array(text.utf8)
        _ = try JSONValue.parse(bytes)
        for cut in 0..<bytes.count {
            #expect(throws: JSONParseError.self) { try JSONValue.parse(bytes[..<cut]) }
        }
    }
}
