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
        let tape = try JSONTape(parsing: Array(bytes), maxDepth: maxDepth)
        return tape.root.value
    }

    /// Parses the UTF-8 bytes of `text` as one JSON text; see ``parse(_:maxDepth:)``.
    public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8), maxDepth: maxDepth)
    }

    /// Keeps one member per key: the last value, at the first position.
    static func resolvingDuplicateKeys(_ members: [(key: String, value: JSONValue)]) -> [(key: String, value: JSONValue)] {
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
