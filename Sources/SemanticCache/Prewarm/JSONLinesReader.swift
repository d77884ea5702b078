/// Splits an input into lines, reading it in chunks, and parses each non-blank line as JSON.
///
/// Line ends are `\n` or `\r\n`. A line longer than ``maxLineBytes`` is skipped (reported as malformed)
/// without holding it in memory.
struct JSONLinesReader {
    static let defaultMaxLineBytes = 64 << 20

    /// One non-blank line: parsed, or why not.
    struct Line {
        var number: Int
        /// Byte offset of the line's start in the input.
        var offset: Int64
        var length: Int
        var json: Result<JSONValue, PrewarmIssue>
    }

    let reader: ByteReader
    let maxLineBytes: Int
    private var buffer: [UInt8] = []
    private var position = 0
    /// Input offset of `buffer[0]`.
    private var bufferOffset: Int64 = 0
    private var lineNumber = 0
    private var atEnd = false

    init(_ reader: ByteReader, maxLineBytes: Int = defaultMaxLineBytes) {
        self.reader = reader
        self.maxLineBytes = maxLineBytes
    }

    /// Bytes consumed so far.
    var bytesRead: Int64 { bufferOffset + Int64(position) }

    /// The next non-blank line, or `nil` at the end of the input.
    mutating func next() throws(PrewarmReadError) -> Line? {
        while let (start, end, overlong) = try nextRawLine() {
            lineNumber += 1
            let source = PrewarmSource(file: reader.name, line: lineNumber)
            let offset = bufferOffset + Int64(start)
            if overlong {
                let issue = PrewarmIssue(source: source, kind: .malformed, reason: "line longer than \(maxLineBytes) bytes")
                return Line(number: lineNumber, offset: offset, length: 0, json: .failure(issue))
            }
            var contentEnd = end
            if contentEnd > start, buffer[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            let content = buffer[start..<contentEnd]
            if content.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let json: Result<JSONValue, PrewarmIssue>
            do {
                json = .success(try JSONValue.parse(content))
            } catch {
                json = .failure(PrewarmIssue(source: source, kind: .malformed, reason: "not JSON: \(error)"))
            }
            return Line(number: lineNumber, offset: offset, length: contentEnd - start, json: json)
        }
        return nil
    }

    /// The next line's bounds in `buffer` (without its `\n`), refilling as needed; `overlong` when it was skipped.
    private mutating func nextRawLine() throws(PrewarmReadError) -> (Int, Int, overlong: Bool)? {
        var searchFrom = position
        var overlong = false
        while true {
            if let newline = buffer[searchFrom...].firstIndex(of: 0x0A) {
                let start = position
                position = newline + 1
                overlong = overlong || newline - start > maxLineBytes
                return (start, overlong ? start : newline, overlong)
            }
            if atEnd {
                guard position < buffer.count || overlong else { return nil }
                let start = position
                position = buffer.count
                overlong = overlong || buffer.count - start > maxLineBytes
                return (start, overlong ? start : buffer.count, overlong)
            }
            // Keep the unfinished line, drop what was consumed, and read more.
            if buffer.count - position > maxLineBytes {
                overlong = true
                bufferOffset += Int64(buffer.count)
                buffer.removeAll(keepingCapacity: true)
            } else {
                bufferOffset += Int64(position)
                buffer.removeFirst(position)
            }
            position = 0
            searchFrom = buffer.count
            let chunk = try reader.readChunk()
            if chunk.isEmpty { atEnd = true } else { buffer += chunk }
        }
    }
}

/// A format with one record per JSON line (pairs, the traffic log).
struct JSONLinesFormatReader: PrewarmFormatReader {
    private var lines: JSONLinesReader
    private let parse: (JSONValue, PrewarmSource) -> PrewarmItem

    /// Reads `input`, turning each parsed line into an item with `parse`.
    init(_ input: PrewarmInput, parse: @escaping (JSONValue, PrewarmSource) -> PrewarmItem) throws(PrewarmReadError) {
        lines = JSONLinesReader(try input.open())
        self.parse = parse
    }

    var bytesRead: Int64 { lines.bytesRead }

    mutating func next() throws(PrewarmReadError) -> PrewarmItem? {
        guard let line = try lines.next() else { return nil }
        switch line.json {
        case .failure(let issue): return .issue(issue)
        case .success(let json): return parse(json, PrewarmSource(file: lines.reader.name, line: line.number))
        }
    }
}
