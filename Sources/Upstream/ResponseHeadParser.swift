/// Assembles the final response head from the lines libcurl passes to the header callback.
///
/// Interim `1xx` heads (`100 Continue`, `103 Early Hints`) are dropped; lines after the final head
/// (chunked trailers) are ignored.
struct ResponseHeadParser {
    private var status = 0
    private var headers: [(name: String, value: String)] = []
    private var delivered = false

    /// Consumes one header line; returns the head when the blank line ending the final head arrives.
    /// Works on the bytes (a stream's head is on the way to its first byte); only names and values
    /// become strings.
    mutating func consume(_ raw: UnsafeRawBufferPointer) -> (status: Int, headers: [(name: String, value: String)])? {
        guard !delivered else { return nil }
        var end = raw.count
        while end > 0, raw[end - 1] == cr || raw[end - 1] == lf { end -= 1 }
        let line = UnsafeRawBufferPointer(rebasing: raw[..<end])
        if line.isEmpty {
            guard status != 0 else { return nil }
            if (100..<200).contains(status) && status != 101 {
                status = 0
                headers = []
                return nil
            }
            delivered = true
            return (status, headers)
        }
        if line.starts(with: Self.statusPrefix) {
            status = Self.decode(line).split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) } ?? 0
            headers = []
        } else if line[0] == space || line[0] == tab, let last = headers.popLast() {
            headers.append((last.name, last.value + " " + Self.trimmed(line)))  // obsolete line folding
        } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            headers.append((Self.decode(UnsafeRawBufferPointer(rebasing: line[..<colon])),
                            Self.trimmed(UnsafeRawBufferPointer(rebasing: line[(colon + 1)...]))))
        }
        return nil
    }

    /// Returns the head if it was never completed by a blank line (body or end of transfer came first).
    mutating func finishEarly(responseCode: @autoclosure () -> Int) -> (status: Int, headers: [(name: String, value: String)])? {
        guard !delivered else { return nil }
        delivered = true
        return (status != 0 ? status : responseCode(), headers)
    }

    /// Header bytes are UTF-8 in practice; anything else is read as Latin-1 so no byte is lost.
    private static func decode(_ raw: UnsafeRawBufferPointer) -> String {
        String(validating: raw, as: UTF8.self) ?? String(String.UnicodeScalarView(raw.map { Unicode.Scalar($0) }))
    }

    /// The bytes without leading and trailing spaces and tabs, decoded.
    private static func trimmed(_ bytes: UnsafeRawBufferPointer) -> String {
        let isBlank: (UInt8) -> Bool = { $0 == space || $0 == tab }
        guard let start = bytes.firstIndex(where: { !isBlank($0) }), let end = bytes.lastIndex(where: { !isBlank($0) }) else {
            return ""
        }
        return decode(UnsafeRawBufferPointer(rebasing: bytes[start...end]))
    }

    private static let statusPrefix = Array("HTTP/".utf8)
}

private let cr = UInt8(ascii: "\r")
private let lf = UInt8(ascii: "\n")
private let space = UInt8(ascii: " ")
private let tab = UInt8(ascii: "\t")
