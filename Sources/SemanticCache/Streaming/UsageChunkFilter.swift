import Foundation

/// Removes the usage chunk from an OpenAI chat or text completion stream, for callers that did not
/// ask for it (`stream_options.include_usage`).
///
/// semcache asks the upstream for usage on every stream it may store, so the entry knows its tokens
/// and can answer later callers that do ask; a caller that did not gets the stream it would have
/// had: without the final chunk whose `choices` is empty (which breaks `chunk.choices[0]`). Every
/// other event passes through byte for byte, as soon as it is complete.
///
/// Feed it the stream in chunks of any size; events end at an empty line (`\n` or `\r\n` line ends).
public struct UsageChunkFilter: Sendable {
    private var pending: [UInt8] = []

    public init() {}

    /// The bytes of the events that `bytes` completes, without the usage chunk; an unfinished event
    /// is held until its end arrives.
    public mutating func feed(_ bytes: [UInt8]) -> [UInt8] {
        if pending.isEmpty, let end = Self.lastEventEnd(in: bytes), end == bytes.count {
            // The usual case: a chunk of whole events, passed on as it is unless it holds the usage chunk.
            return Self.withoutUsageChunks(bytes[...]) ?? bytes
        }
        pending += bytes
        guard let end = Self.lastEventEnd(in: pending) else { return [] }
        let complete = Self.withoutUsageChunks(pending[..<end]) ?? Array(pending[..<end])
        pending.removeSubrange(..<end)
        return complete
    }

    /// What is left at the end of the stream (an unfinished event), as it is.
    public mutating func finish() -> [UInt8] {
        defer { pending = [] }
        return pending
    }

    /// A whole stream without its usage chunk.
    public static func removingUsageChunk(from stream: [UInt8]) -> [UInt8] {
        var filter = UsageChunkFilter()
        return filter.feed(stream) + filter.finish()
    }

    /// The events of `bytes` (whole events only) except usage chunks, or nil when there is none.
    /// Only the events around an empty array are looked at: a stream's first byte waits for this.
    private static func withoutUsageChunks(_ bytes: ArraySlice<UInt8>) -> [UInt8]? {
        var output: [UInt8]?
        var copiedUpTo = bytes.startIndex
        var searchFrom = bytes.startIndex
        while let bracket = firstEmptyArray(in: bytes[searchFrom...]) {
            let start = eventStart(in: bytes[..<bracket])
            let end = firstEventEnd(in: bytes[bracket...]) ?? bytes.endIndex
            if isUsageChunk(bytes[start..<end]) {
                output = (output ?? []) + bytes[copiedUpTo..<start]
                copiedUpTo = end
            }
            searchFrom = end
        }
        return output.map { $0 + bytes[copiedUpTo...] }
    }

    /// Whether an event is a usage chunk: its data is a JSON object with an empty `choices` array and
    /// a non-null `usage`. Only events that mention `"usage"` and hold an empty array are parsed (with
    /// `include_usage` every chunk has `"usage": null`, but only the usage chunk has `"choices": []`).
    static func isUsageChunk(_ event: ArraySlice<UInt8>) -> Bool {
        guard mayHoldUsageChunk(event) else { return false }
        var data: [UInt8] = []
        var lineStart = event.startIndex
        for index in event.indices where event[index] == 0x0A {
            var line = event[lineStart..<index]
            if line.last == 0x0D { line = line.dropLast() }
            if line.starts(with: dataPrefix) {
                if !data.isEmpty { data.append(0x0A) }
                line = line.dropFirst(dataPrefix.count)
                if line.first == 0x20 { line = line.dropFirst() }
                data += line
            }
            lineStart = index + 1
        }
        guard let tape = try? JSONTape(parsing: data), let choices = tape.root["choices"], let usage = tape.root["usage"] else {
            return false
        }
        return choices.kind == .array && choices.elements?.isEmpty == true && usage.kind == .object
    }

    private static let dataPrefix = Array("data:".utf8)
    private static let usageName = Array("\"usage\"".utf8)

    /// A cheap test that rules out most events: a usage chunk mentions `"usage"` and holds an empty array.
    private static func mayHoldUsageChunk(_ bytes: ArraySlice<UInt8>) -> Bool {
        containsEmptyArray(bytes) && containsUsage(bytes)
    }

    /// Whether `[`, optional JSON whitespace and `]` follow each other somewhere in `bytes`.
    private static func containsEmptyArray(_ bytes: ArraySlice<UInt8>) -> Bool {
        firstEmptyArray(in: bytes) != nil
    }

    /// The index of the first `[` followed by optional JSON whitespace and `]` in `bytes` (`memchr`
    /// finds each `[`).
    private static func firstEmptyArray(in bytes: ArraySlice<UInt8>) -> Int? {
        bytes.withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress else { return nil }
            var offset = 0
            while offset < buffer.count, let found = memchr(base + offset, Int32(UInt8(ascii: "[")), buffer.count - offset) {
                let bracket = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
                var next = bracket + 1
                while next < buffer.count, [0x20, 0x09, 0x0A, 0x0D].contains(buffer[next]) { next += 1 }
                if next < buffer.count, buffer[next] == UInt8(ascii: "]") { return bytes.startIndex + bracket }
                offset = bracket + 1
            }
            return nil
        }
    }

    private static func containsUsage(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.count >= usageName.count else { return false }
        var index = bytes.startIndex
        let last = bytes.endIndex - usageName.count
        while index <= last {
            if bytes[index] == 0x22, bytes[index..<index + usageName.count].elementsEqual(usageName) { return true }
            index += 1
        }
        return false
    }

    /// The index just past the first empty line of `bytes`, or nil.
    private static func firstEventEnd(in bytes: ArraySlice<UInt8>) -> Int? {
        var lineStart = bytes.startIndex
        for index in bytes.indices where bytes[index] == 0x0A {
            let lineLength = index - lineStart
            if lineLength == 0 || (lineLength == 1 && bytes[lineStart] == 0x0D) { return index + 1 }
            lineStart = index + 1
        }
        return nil
    }

    /// Where the event holding the end of `bytes` starts: just past the last empty line of `bytes`,
    /// or its start. Lines start at the start of `bytes` and after each `\n`.
    private static func eventStart(in bytes: ArraySlice<UInt8>) -> Int {
        var index = bytes.endIndex - 1
        while index >= bytes.startIndex {
            if bytes[index] == 0x0A {
                let emptyLine = index == bytes.startIndex || bytes[index - 1] == 0x0A
                    || (bytes[index - 1] == 0x0D && (index - 1 == bytes.startIndex || bytes[index - 2] == 0x0A))
                if emptyLine { return index + 1 }
            }
            index -= 1
        }
        return bytes.startIndex
    }

    /// The index just past the last empty line of `bytes`, or nil.
    private static func lastEventEnd(in bytes: [UInt8]) -> Int? {
        var index = bytes.endIndex - 1
        while index > 0 {
            if bytes[index] == 0x0A {
                if bytes[index - 1] == 0x0A { return index + 1 }
                if bytes[index - 1] == 0x0D, index >= 2, bytes[index - 2] == 0x0A { return index + 1 }
            }
            index -= 1
        }
        return nil
    }
}
