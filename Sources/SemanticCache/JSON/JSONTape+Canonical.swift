#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension JSONTape {
    /// Appends the canonical form (see ``JSONValue/canonicalBytes``) of the document to `output`, leaving
    /// out the root object's members named in `excludedKeys`. Repeated keys keep their last value, as in
    /// ``JSONValue``.
    ///
    /// Returns the byte ranges of `output` where the string tokens listed in `recordedStrings` were written
    /// (quotes included), in output order, so a caller can hash the same document with those strings
    /// replaced without serialising it again: key order never depends on values.
    @discardableResult
    func writeCanonical(
        excludingTopLevelKeys excludedKeys: [String] = [], recordingStrings recordedStrings: [Int] = [], to output: inout [UInt8]
    ) -> [Range<Int>] {
        let excluded = excludedKeys.map { Array($0.utf8) }
        return bytes.withUnsafeBufferPointer { buffer in
            var writer = CanonicalTapeWriter(tape: self, bytes: buffer, excludedRootKeys: excluded, recordedStrings: recordedStrings)
            writer.write(0, depth: 0, to: &output)
            return writer.recordedRanges
        }
    }
}

/// Writes canonical JSON straight from tape tokens: unescaped strings and sorted keys are copied as raw byte
/// ranges, so the common request needs no decoding and no allocation per value.
private struct CanonicalTapeWriter {
    let tape: JSONTape
    let bytes: UnsafeBufferPointer<UInt8>
    let excludedRootKeys: [[UInt8]]
    let recordedStrings: [Int]
    /// Where the recorded strings were written.
    private(set) var recordedRanges: [Range<Int>] = []
    /// Members of the objects being written, innermost last (one buffer for the whole document).
    private var members: [Member] = []
    /// Unescaped keys, for the rare keys written with escapes.
    private var decodedKeys: [[UInt8]] = []

    init(tape: JSONTape, bytes: UnsafeBufferPointer<UInt8>, excludedRootKeys: [[UInt8]], recordedStrings: [Int]) {
        self.tape = tape
        self.bytes = bytes
        self.excludedRootKeys = excludedRootKeys
        self.recordedStrings = recordedStrings
        members.reserveCapacity(32)
    }

    private struct Member {
        /// The key's raw bytes in the input, used when `decodedKey` is -1.
        let keyRange: Range<Int>
        /// Index into `decodedKeys` for keys with escapes, else -1.
        let decodedKey: Int
        let position: Int
        let value: Int
    }

    mutating func write(_ index: Int, depth: Int, to output: inout [UInt8]) {
        let token = tape.tokens[index]
        switch token.kind {
        case .null, .true, .false:
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[token.start..<token.end]))
        case .number:
            JSONNumber.appendCanonical(of: UnsafeBufferPointer(rebasing: bytes[token.start..<token.end]), to: &output)
        case .string:
            let start = output.count
            defer {
                if recordedStrings.contains(index) { recordedRanges.append(start..<output.count) }
            }
            if token.hasEscapes {
                JSONTape.unescape(bytes, token.start..<token.end).withUnsafeBufferPointer { JSONWriter.appendQuoted($0, to: &output) }
            } else {
                // Raw string text without escapes holds no '"', '\' or control bytes: it is already canonical.
                output.append(UInt8(ascii: "\""))
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[token.start..<token.end]))
                output.append(UInt8(ascii: "\""))
            }
        case .array:
            output.append(UInt8(ascii: "["))
            var position = index + 1
            for element in 0..<token.count {
                if element > 0 { output.append(UInt8(ascii: ",")) }
                write(position, depth: depth + 1, to: &output)
                position = tape.next(after: position)
            }
            output.append(UInt8(ascii: "]"))
        case .object:
            writeObject(index, depth: depth, to: &output)
        }
    }

    private mutating func writeObject(_ index: Int, depth: Int, to output: inout [UInt8]) {
        let token = tape.tokens[index]
        let base = members.count
        defer { members.removeLast(members.count - base) }
        var position = index + 1
        for memberPosition in 0..<token.count {
            let keyToken = tape.tokens[position]
            var decodedKey = -1
            if keyToken.hasEscapes {
                decodedKey = decodedKeys.count
                decodedKeys.append(JSONTape.unescape(bytes, keyToken.start..<keyToken.end))
            }
            let member = Member(keyRange: keyToken.start..<keyToken.end, decodedKey: decodedKey, position: memberPosition, value: position + 1)
            position = tape.next(after: position + 1)
            if depth == 0 && excludedRootKeys.contains(where: { excluded in withKey(member) { $0.elementsEqual(excluded) } }) {
                continue
            }
            members.append(member)
        }
        let decodedKeys = self.decodedKeys
        let bytes = self.bytes
        members.withUnsafeMutableBufferPointer { all in
            var slice = UnsafeMutableBufferPointer(rebasing: all[base...])
            slice.sort { left, right in
                let order = Self.compare(left, right, bytes: bytes, decodedKeys: decodedKeys)
                return order != 0 ? order < 0 : left.position < right.position
            }
        }
        output.append(UInt8(ascii: "{"))
        var first = true
        let end = members.count
        for offset in base..<end {
            let member = members[offset]
            // Of members with equal keys (sorted by position), only the last one counts.
            if offset + 1 < end, Self.compare(member, members[offset + 1], bytes: bytes, decodedKeys: decodedKeys) == 0 {
                continue
            }
            if !first { output.append(UInt8(ascii: ",")) }
            first = false
            withKey(member) { JSONWriter.appendQuoted($0, to: &output) }
            output.append(UInt8(ascii: ":"))
            write(member.value, depth: depth + 1, to: &output)
        }
        output.append(UInt8(ascii: "}"))
    }

    private func withKey<Result>(_ member: Member, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        Self.withKey(member, bytes: bytes, decodedKeys: decodedKeys, body)
    }

    private static func withKey<Result>(
        _ member: Member, bytes: UnsafeBufferPointer<UInt8>, decodedKeys: [[UInt8]], _ body: (UnsafeBufferPointer<UInt8>) -> Result
    ) -> Result {
        if member.decodedKey >= 0 { return decodedKeys[member.decodedKey].withUnsafeBufferPointer(body) }
        return body(UnsafeBufferPointer(rebasing: bytes[member.keyRange]))
    }

    /// Byte-wise order of two members' keys (`memcmp`, shorter prefix first).
    private static func compare(_ left: Member, _ right: Member, bytes: UnsafeBufferPointer<UInt8>, decodedKeys: [[UInt8]]) -> Int {
        withKey(left, bytes: bytes, decodedKeys: decodedKeys) { a in
            withKey(right, bytes: bytes, decodedKeys: decodedKeys) { b in
                let common = min(a.count, b.count)
                if common > 0, let first = a.baseAddress, let second = b.baseAddress {
                    let order = memcmp(first, second, common)
                    if order != 0 { return Int(order) }
                }
                return a.count - b.count
            }
        }
    }
}
