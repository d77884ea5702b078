import SemanticCache

/// The head of one HTTP/1.x request, read from the bytes at the start of a connection's input by
/// ``RequestHead/parse(_:)``: what ``FastPathHandler`` needs to frame the request and, when it may,
/// answer it without NIO's HTTP codec.
///
/// The reading is strict on purpose: anything unusual (a bare LF, folded or invalid header lines,
/// `Transfer-Encoding`, an upgrade, several `Content-Length`s) is ``Parse/unframeable``, and the
/// connection is then left to NIO's decoder, which accepts or rejects it as it always did.
struct RequestHead: Equatable {
    enum Version: Equatable { case http10, http11 }

    var method: String
    var uri: String
    var version: Version
    /// Every header, in wire order, values without surrounding whitespace.
    var headers: [(name: String, value: String)]
    /// The body's length (0 without a `Content-Length`).
    var contentLength: Int
    /// Bytes from the request line to the empty line, both included.
    var headLength: Int
    /// HTTP/1.1 without `Connection: close` or any other connection option, and no `Expect`: a
    /// request the fast path may answer itself (the connection stays open, nothing else is owed).
    var isPlainKeepAlive: Bool

    static func == (lhs: RequestHead, rhs: RequestHead) -> Bool {
        lhs.method == rhs.method && lhs.uri == rhs.uri && lhs.version == rhs.version && lhs.contentLength == rhs.contentLength
            && lhs.headLength == rhs.headLength && lhs.isPlainKeepAlive == rhs.isPlainKeepAlive
            && lhs.headers.elementsEqual(rhs.headers) { $0.name == $1.name && $0.value == $1.value }
    }

    enum Parse: Equatable {
        /// No empty line yet: more bytes are needed.
        case incomplete
        case head(RequestHead)
        /// Not a request this reader frames: NIO's decoder must take the connection over.
        case unframeable
    }

    private static let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n"), space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")

    /// Reads the head at the start of `bytes`.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> Parse {
        guard let end = endOfHead(bytes) else { return bytes.contains(lf) && !hasOnlyCRLFLines(bytes) ? .unframeable : .incomplete }
        var lines = Lines(bytes: bytes, end: end)
        guard let requestLine = lines.next(), let (method, uri, version) = parseRequestLine(requestLine) else { return .unframeable }
        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(8)
        var contentLength: Int?
        var plain = version == .http11
        while let line = lines.next() {
            guard let (name, value) = parseHeaderLine(line) else { return .unframeable }
            if Self.is(name, "content-length") {
                guard contentLength == nil, let length = decimal(value) else { return .unframeable }
                contentLength = length
            } else if Self.is(name, "transfer-encoding") || Self.is(name, "upgrade") {
                return .unframeable
            } else if Self.is(name, "connection") {
                let options = String(decoding: value, as: UTF8.self).lowercased()
                if options.contains("upgrade") { return .unframeable }
                if options != "keep-alive" { plain = false }
            } else if Self.is(name, "expect") {
                plain = false
            }
            headers.append((name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self)))
        }
        guard method != "CONNECT" else { return .unframeable }
        return .head(RequestHead(
            method: method, uri: uri, version: version, headers: headers, contentLength: contentLength ?? 0,
            headLength: end, isPlainKeepAlive: plain))
    }

    /// The index just past the first CRLFCRLF, or nil.
    private static func endOfHead(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count >= 4 else { return nil }
        var index = 3
        while index < bytes.count {
            if bytes[index] == lf, bytes[index - 1] == cr, bytes[index - 2] == lf, bytes[index - 3] == cr { return index + 1 }
            index += 1
        }
        return nil
    }

    /// Whether every LF so far ends a CRLF (a bare LF makes the head unframeable at once).
    private static func hasOnlyCRLFLines(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for index in bytes.indices where bytes[index] == lf && (index == 0 || bytes[index - 1] != cr) { return false }
        return true
    }

    /// The lines of a head (without their CRLF), up to the empty line.
    private struct Lines {
        let bytes: UnsafeRawBufferPointer
        let end: Int
        var start = 0

        mutating func next() -> UnsafeRawBufferPointer? {
            var index = start
            while index + 1 < end, !(bytes[index] == cr && bytes[index + 1] == lf) { index += 1 }
            guard index > start, index + 1 < end else { return nil }  // the empty line ends the head
            defer { start = index + 2 }
            return UnsafeRawBufferPointer(rebasing: bytes[start..<index])
        }
    }

    private static func parseRequestLine(_ line: UnsafeRawBufferPointer) -> (String, String, Version)? {
        let parts = line.split(separator: space, maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy(isTokenByte),
              !parts[1].isEmpty, parts[1].allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else { return nil }
        let version: Version
        switch String(decoding: parts[2], as: UTF8.self) {
        case "HTTP/1.1": version = .http11
        case "HTTP/1.0": version = .http10
        default: return nil
        }
        return (String(decoding: parts[0], as: UTF8.self), String(decoding: parts[1], as: UTF8.self), version)
    }

    private static func parseHeaderLine(_ line: UnsafeRawBufferPointer) -> (name: Field, value: Field)? {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0, line[..<colon].allSatisfy(isTokenByte) else { return nil }
        var valueStart = colon + 1, valueEnd = line.count
        while valueStart < valueEnd, line[valueStart] == space || line[valueStart] == tab { valueStart += 1 }
        while valueEnd > valueStart, line[valueEnd - 1] == space || line[valueEnd - 1] == tab { valueEnd -= 1 }
        let value = line[valueStart..<valueEnd]
        // Field content: visible ASCII, obs-text, and spaces or tabs between them; no other control bytes.
        guard value.allSatisfy({ $0 >= 0x20 && $0 != 0x7F || $0 == tab }) else { return nil }
        return (line[..<colon], value)
    }

    private typealias Field = Slice<UnsafeRawBufferPointer>

    /// Whether a header name is `lowercased`, in any case.
    private static func `is`(_ name: Field, _ lowercased: StaticString) -> Bool {
        guard name.count == lowercased.utf8CodeUnitCount else { return false }
        return zip(name, UnsafeBufferPointer(start: lowercased.utf8Start, count: lowercased.utf8CodeUnitCount)).allSatisfy { $0 | 0x20 == $1 || $0 == $1 }
    }

    /// RFC 9110 `tchar`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
             UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
             UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    private static func decimal(_ digits: Field) -> Int? {
        guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }
}
