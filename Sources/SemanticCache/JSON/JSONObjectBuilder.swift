/// Builds a JSON object member by member, keeping insertion order (used to assemble streamed answers).
struct JSONObjectBuilder: Sendable {
    private(set) var members: [(key: String, value: JSONValue)]

    init(_ object: JSONValue? = nil) {
        members = object?.object ?? []
    }

    /// The member's value; assigning `nil` removes the member, assigning a new key appends it.
    subscript(key: String) -> JSONValue? {
        get { members.first { utf8Equal($0.key, key) }?.value }
        set {
            let index = members.firstIndex { utf8Equal($0.key, key) }
            switch (index, newValue) {
            case (let index?, let value?): members[index].value = value
            case (let index?, nil): members.remove(at: index)
            case (nil, let value?): members.append((key, value))
            case (nil, nil): break
            }
        }
    }

    /// Appends `text` to the string member `key` (creating it, or replacing a `null`).
    mutating func appendString(_ text: String, to key: String) {
        self[key] = .string((self[key]?.string ?? "") + text)
    }

    /// Appends `elements` to the array member `key` (creating it, or replacing a `null`).
    mutating func appendElements(_ elements: [JSONValue], to key: String) {
        self[key] = .array((self[key]?.array ?? []) + elements)
    }

    var value: JSONValue { .object(members) }
}
