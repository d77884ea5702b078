/// A read-only position in a ``JSONTape``: navigates a parsed document without building ``JSONValue``s.
/// Object lookups follow the parser's rule for repeated keys: the last value wins.
struct JSONCursor: Sendable {
    let tape: JSONTape
    /// The token index of the value.
    let index: Int

    var kind: JSONTape.Kind { tape.tokens[index].kind }

    /// The value of member `key` (compared by unescaped UTF-8 bytes), or `nil` for a missing key or a non-object.
    subscript(key: String) -> JSONCursor? {
        guard kind == .object else { return nil }
        var found: JSONCursor?
        var position = index + 1
        for _ in 0..<tape.tokens[index].count {
            if tape.string(at: position, equals: key) { found = JSONCursor(tape: tape, index: position + 1) }
            position = tape.next(after: position + 1)
        }
        return found
    }

    /// The elements of an array, or `nil` for other values.
    var elements: [JSONCursor]? {
        guard kind == .array else { return nil }
        var result: [JSONCursor] = []
        result.reserveCapacity(tape.tokens[index].count)
        var position = index + 1
        for _ in 0..<tape.tokens[index].count {
            result.append(JSONCursor(tape: tape, index: position))
            position = tape.next(after: position)
        }
        return result
    }

    /// The token indices of an object's members, `(key, value)`, in document order (duplicates included).
    var memberIndices: [(key: Int, value: Int)] {
        guard kind == .object else { return [] }
        var result: [(key: Int, value: Int)] = []
        result.reserveCapacity(tape.tokens[index].count)
        var position = index + 1
        for _ in 0..<tape.tokens[index].count {
            result.append((position, position + 1))
            position = tape.next(after: position + 1)
        }
        return result
    }

    var string: String? {
        kind == .string ? decodedString : nil
    }

    private var decodedString: String {
        String(decoding: tape.stringBytes(index), as: UTF8.self)
    }

    /// Whether this is a string equal to `text`, byte for byte.
    func isString(_ text: String) -> Bool {
        kind == .string && tape.string(at: index, equals: text)
    }

    var bool: Bool? {
        switch kind {
        case .true: true
        case .false: false
        default: nil
        }
    }

    var number: JSONNumber? {
        kind == .number ? numberText : nil
    }

    private var numberText: JSONNumber {
        let token = tape.tokens[index]
        return JSONNumber(validatedText: String(decoding: tape.bytes[token.start..<token.end], as: UTF8.self))
    }

    /// Builds the ``JSONValue`` tree of this value.
    var value: JSONValue {
        let token = tape.tokens[index]
        switch token.kind {
        case .null: return .null
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .number: return .number(numberText)
        case .string: return .string(decodedString)
        case .array: return .array((elements ?? []).map(\.value))
        case .object:
            var members: [(key: String, value: JSONValue)] = []
            members.reserveCapacity(token.count)
            for (key, value) in memberIndices {
                members.append((JSONCursor(tape: tape, index: key).decodedString, JSONCursor(tape: tape, index: value).value))
            }
            return .object(JSONValue.resolvingDuplicateKeys(members))
        }
    }
}
