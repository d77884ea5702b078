/// Parses `a=1&b=two+words&c=%C3%A9` (application/x-www-form-urlencoded): `+` is a space,
/// percent-escapes are decoded as UTF-8; malformed escapes are kept as they are.
struct QueryString {
    private var values: [(String, String)] = []

    init(uri: String) {
        guard let start = uri.firstIndex(of: "?") else { return }
        for pair in uri[uri.index(after: start)...].split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            values.append((Self.decode(parts[0]), parts.count > 1 ? Self.decode(parts[1]) : ""))
        }
    }

    subscript(name: String) -> String? { values.first { $0.0 == name }?.1 }

    static func decode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), utf8.count >= 2,
                      let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
