extension JSONValue {
    /// Compact JSON: no insignificant whitespace, members in their order, numbers as written, strings minimally escaped.
    public var compactBytes: [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        JSONWriter.write(self, canonical: false, to: &output)
        return output
    }

    /// Canonical JSON: one spelling per value, for hashing.
    ///
    /// - object members sorted by the UTF-8 bytes of their keys;
    /// - no insignificant whitespace;
    /// - numbers in ``JSONNumber/canonicalText`` form (`1`, `1.0`, `1e0`, `10E-1` all give `1`; `-0` gives `0`),
    ///   computed on the decimal text, so huge numbers keep every digit;
    /// - strings with minimal escaping: only `"`, `\` and control characters below U+0020 are escaped
    ///   (`\b \f \n \r \t` or `\u00XX` in lower-case hex); everything else is raw UTF-8, without Unicode normalisation.
    public var canonicalBytes: [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        JSONWriter.write(self, canonical: true, to: &output)
        return output
    }

    /// Appends the compact or canonical form to `output`.
    public func write(canonical: Bool, to output: inout [UInt8]) {
        JSONWriter.write(self, canonical: canonical, to: &output)
    }
}

enum JSONWriter {
    static func write(_ value: JSONValue, canonical: Bool, to output: inout [UInt8]) {
        switch value {
        case .null: output.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
        case .bool(true): output.append(contentsOf: [0x74, 0x72, 0x75, 0x65])
        case .bool(false): output.append(contentsOf: [0x66, 0x61, 0x6C, 0x73, 0x65])
        case .number(let number):
            if canonical {
                number.appendCanonical(to: &output)
            } else {
                output.append(contentsOf: number.text.utf8)
            }
        case .string(let string): writeString(string, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            var first = true
            for element in elements {
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                write(element, canonical: canonical, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            if canonical && members.count > 1 {
                let order = members.indices.sorted { utf8Less(members[$0].key, members[$1].key) }
                for memberIndex in order {
                    writeMember(members[memberIndex], first: memberIndex == order[0], canonical: canonical, to: &output)
                }
            } else {
                for memberIndex in members.indices {
                    writeMember(members[memberIndex], first: memberIndex == 0, canonical: canonical, to: &output)
                }
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    private static func writeMember(_ member: (key: String, value: JSONValue), first: Bool, canonical: Bool, to output: inout [UInt8]) {
        if !first { output.append(UInt8(ascii: ",")) }
        writeString(member.key, to: &output)
        output.append(UInt8(ascii: ":"))
        write(member.value, canonical: canonical, to: &output)
    }

    /// Writes a quoted string, escaping only `"`, `\` and bytes below 0x20.
    static func writeString(_ string: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        let written: Void? = string.utf8.withContiguousStorageIfAvailable { bytes in
            appendEscaped(bytes, to: &output)
        }
        if written == nil {
            Array(string.utf8).withUnsafeBufferPointer { appendEscaped($0, to: &output) }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// Appends UTF-8 bytes as a quoted JSON string with minimal escaping.
    static func appendQuoted(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        appendEscaped(bytes, to: &output)
        output.append(UInt8(ascii: "\""))
    }

    /// Appends UTF-8 bytes with `"`, `\` and control characters escaped.
    private static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        var runStart = 0
        for position in 0..<bytes.count {
            let byte = bytes[position]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
            runStart = position + 1
            output.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): output.append(byte)
            case 0x08: output.append(UInt8(ascii: "b"))
            case 0x0C: output.append(UInt8(ascii: "f"))
            case 0x0A: output.append(UInt8(ascii: "n"))
            case 0x0D: output.append(UInt8(ascii: "r"))
            case 0x09: output.append(UInt8(ascii: "t"))
            default:
                output.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, hexDigit(byte >> 4), hexDigit(byte & 0x0F)])
            }
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
    }
}

@inline(__always)
private func hexDigit(_ value: UInt8) -> UInt8 {
    value < 10 ? 0x30 + value : 0x61 + value - 10
}

/// Byte-wise lexicographic order of the UTF-8 forms (the canonical key order).
func utf8Less(_ a: String, _ b: String) -> Bool {
    utf8Compare(a, b) < 0
}
