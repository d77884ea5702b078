/// Writes server-sent events in the wire format the LLM APIs use, and splits text into stream-sized pieces.
struct SSEWriter {
    private(set) var bytes: [UInt8] = []

    /// `event: <name>\n` (when given) then `data: <compact JSON>\n\n`. Compact JSON never contains a line break.
    mutating func write(_ json: JSONValue, event: String? = nil) {
        if let event {
            bytes.append(contentsOf: "event: \(event)\n".utf8)
        }
        bytes.append(contentsOf: "data: ".utf8)
        json.write(canonical: false, to: &bytes)
        bytes.append(contentsOf: "\n\n".utf8)
    }

    /// The OpenAI end marker `data: [DONE]\n\n`.
    mutating func writeDone() {
        bytes.append(contentsOf: "data: [DONE]\n\n".utf8)
    }

    /// Splits `text` into pieces of at most `size` characters (never inside a grapheme cluster); empty text gives no pieces.
    static func pieces(of text: String, size: Int = 32) -> [String] {
        var pieces: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            pieces.append(String(rest.prefix(size)))
            rest = rest.dropFirst(size)
        }
        return pieces
    }
}
