/// Assembles the final response head from the lines libcurl passes to the header callback.
///
/// Interim `1xx` heads (`100 Continue`, `103 Early Hints`) are dropped; lines after the final head
/// (chunked trailers) are ignored.
struct ResponseHeadParser {
    private var status = 0
    private var headers: [(name: String, value: String)] = []
    private var delivered = false

    /// Consumes one header line; returns the head when the blank line ending the final head arrives.
    mutating func consume(_ raw: UnsafeRawBufferPointer) -> (status: Int, headers: [(name: String, value: String)])? {
        guard !delivered else { return nil }
        let line = Self.decode(raw).trimmingSuffix(while: { $0 == "\r\n" || $0 == "\n" || $0 == "\r" })
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
        if line.hasPrefix("HTTP/") {
            status = line.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) } ?? 0
            headers = []
        } else if line.first == " " || line.first == "\t", let last = headers.popLast() {
            headers.append((last.name, last.value + " " + Self.trimmed(Substring(line))))  // obsolete line folding
        } else if let colon = line.firstIndex(of: ":") {
            headers.append((String(line[..<colon]), Self.trimmed(line[line.index(after: colon)...])))
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

    private static func trimmed(_ text: Substring) -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = text.firstIndex(where: { !isBlank($0) }), let end = text.lastIndex(where: { !isBlank($0) }) else {
            return ""
        }
        return String(text[start...end])
    }
}
