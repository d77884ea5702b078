/// A header list in wire order; names compare case-insensitively.
public typealias HeaderList = [(name: String, value: String)]

extension Array where Element == (name: String, value: String) {
    /// The first value of the header `name` (case-insensitive), or nil.
    public func first(named name: String) -> String? {
        for header in self where header.name.caseInsensitiveEquals(name) { return header.value }
        return nil
    }
}

extension String {
    /// ASCII case-insensitive comparison, for header names.
    func caseInsensitiveEquals(_ other: String) -> Bool {
        let a = utf8, b = other.utf8
        guard a.count == b.count else { return false }
        return zip(a, b).allSatisfy { x, y in x == y || (x | 0x20 == y | 0x20 && (x | 0x20) >= 0x61 && (x | 0x20) <= 0x7a) }
    }
}

/// A complete request as received by the sidecar.
public struct IncomingRequest: Sendable {
    public var method: String
    /// Path and query, as received.
    public var uri: String
    public var headers: HeaderList
    public var body: [UInt8]

    public init(method: String, uri: String, headers: HeaderList, body: [UInt8]) {
        self.method = method
        self.uri = uri
        self.headers = headers
        self.body = body
    }

    /// The path without its query.
    public var path: Substring { uri[..<(uri.utf8.firstIndex(of: UInt8(ascii: "?")) ?? uri.endIndex)] }
}

/// Where the pipeline writes a response. The server implements it over a socket; parts are
/// written in order and each call returns once the part was handed to the connection.
public protocol ResponseWriter: Sendable {
    /// Starts the response. Without a `content-length` header the body is sent chunked.
    func writeHead(status: Int, headers: HeaderList) async throws
    func writeBody(_ bytes: [UInt8]) async throws
    /// Ends the response normally.
    func end() async throws
    /// Ends the response abnormally: the client must see a truncated body (the connection is closed
    /// without the terminating chunk).
    func abort() async
    /// Writes a whole response; writers that can send it in one go implement it (the default
    /// writes head, body and end one after the other).
    func writeComplete(status: Int, headers: HeaderList, body: [UInt8]) async throws
}

/// A response that is complete before anything is written.
public struct CompleteResponse: Sendable {
    public var status: Int
    public var headers: HeaderList
    public var body: [UInt8]

    public init(status: Int, headers: HeaderList, body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON error in `shape`: OpenAI's by default; ``ErrorShape/init(path:)`` picks the one of the
    /// API a request was made to.
    public static func error(
        status: Int, type: String, message: String, shape: ErrorShape = .openAI, extraHeaders: HeaderList = []
    ) -> CompleteResponse {
        let body = shape.body(type: type, message: message).compactBytes
        return CompleteResponse(status: status, headers: [(name: "content-type", value: "application/json")] + extraHeaders, body: body)
    }

    /// Writes the whole response with a content-length.
    public func write(to writer: some ResponseWriter) async throws {
        try await writer.writeComplete(status: status, headers: headers + [(name: "content-length", value: String(body.count))], body: body)
    }
}

extension ResponseWriter {
    /// Writes a whole response. Writers that can send it in one go override this.
    public func writeComplete(status: Int, headers: HeaderList, body: [UInt8]) async throws {
        try await writeHead(status: status, headers: headers)
        if !body.isEmpty { try await writeBody(body) }
        try await end()
    }
}
