#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A JSON value (RFC 8259) that keeps object members in their original order and numbers as exact text.
///
/// Parse with ``parse(_:maxDepth:)``; serialise with ``compactBytes`` (order kept, for building responses)
/// or ``canonicalBytes`` (one spelling per value, for cache keys).
///
/// Strings and keys compare by their UTF-8 bytes, not by Unicode canonical equivalence: `"é"` written
/// precomposed and decomposed are different strings, as they are for every JSON consumer. Two values are
/// `==` exactly when their ``canonicalBytes`` are equal: member order does not matter, numbers compare by
/// decimal value.
public enum JSONValue: Sendable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, kept as its exact decimal text.
    case number(JSONNumber)
    /// A string (any Unicode text; never normalised).
    case string(String)
    /// An array, in order.
    case array([JSONValue])
    /// Members in document order. Keys are unique: the parser keeps the last value of a repeated key.
    case object([(key: String, value: JSONValue)])
}

extension JSONValue {
    /// The value of the member `key` of an object (compared by UTF-8 bytes), or `nil` for a missing key or a non-object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        for member in members where utf8Equal(member.key, key) {
            return member.value
        }
        return nil
    }

    /// The element at `index` of an array, or `nil` when out of range or not an array.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// The text of a string value, or `nil`.
    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The number of a number value, or `nil`.
    public var number: JSONNumber? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The number as a `Double`, or `nil` for non-numbers and numbers beyond `Double`'s range.
    public var double: Double? { number?.double }

    /// The number as an `Int` when it is an integer that fits.
    public var int: Int? { number?.int }

    /// The value of `true`/`false`, or `nil`.
    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The elements of an array, or `nil`.
    public var array: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The members of an object in document order, or `nil`.
    public var object: [(key: String, value: JSONValue)]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// This object without the members named in `keys`; other values are returned unchanged.
    public func removingMembers(_ keys: some Sequence<String>) -> JSONValue {
        guard case .object(let members) = self else { return self }
        let removed = Array(keys)
        return .object(members.filter { member in !removed.contains { utf8Equal($0, member.key) } })
    }

    /// This object with member `key` set to `value` (replaced in place, or appended); other values are returned unchanged.
    public func settingMember(_ key: String, to value: JSONValue) -> JSONValue {
        guard case .object(var members) = self else { return self }
        if let index = members.firstIndex(where: { utf8Equal($0.key, key) }) {
            members[index].value = value
        } else {
            members.append((key, value))
        }
        return .object(members)
    }
}

extension JSONValue: Equatable {
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return utf8Equal(a, b)
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            for member in a {
                guard let other = b.first(where: { utf8Equal($0.key, member.key) }), other.value == member.value else {
                    return false
                }
            }
            return true
        default: return false
        }
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
    /// A float literal; non-finite values (which JSON cannot hold) become `null`.
    public init(floatLiteral value: Double) { self = JSONNumber(value).map(JSONValue.number) ?? .null }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// An object with members in literal order; a repeated key keeps its last value.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        var members: [(key: String, value: JSONValue)] = []
        for (key, value) in elements {
            if let index = members.firstIndex(where: { utf8Equal($0.key, key) }) {
                members[index].value = value
            } else {
                members.append((key, value))
            }
        }
        self = .object(members)
    }
}

extension JSONValue: CustomStringConvertible {
    /// The compact JSON text.
    public var description: String { String(decoding: compactBytes, as: UTF8.self) }
}

/// Byte-wise string equality (JSON semantics), unlike `String.==`, which uses Unicode canonical equivalence.
func utf8Equal(_ a: String, _ b: String) -> Bool {
    guard a.utf8.count == b.utf8.count else { return false }
    return utf8Compare(a, b) == 0
}

/// Byte-wise three-way comparison of the UTF-8 forms (`memcmp` order, shorter prefix first).
func utf8Compare(_ a: String, _ b: String) -> Int {
    let result = a.utf8.withContiguousStorageIfAvailable { left in
        b.utf8.withContiguousStorageIfAvailable { right in
            let common = min(left.count, right.count)
            let order = common == 0 ? 0 : Int(memcmp(left.baseAddress!, right.baseAddress!, common))
            return order != 0 ? order : left.count - right.count
        }
    }
    if let result, let result { return result }
    // Bridged or otherwise non-contiguous strings (never produced by the parser).
    if a.utf8.elementsEqual(b.utf8) { return 0 }
    return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
}
