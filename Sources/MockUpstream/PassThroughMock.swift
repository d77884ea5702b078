import Foundation
import NIOHTTP1

/// Targets for pass-through tests: an echo of any request, fixed binary bytes and a sized byte pattern.
enum PassThroughMock {
    /// Request headers never echoed back (secrets).
    static let hiddenHeaders: Set<String> = ["authorization", "x-api-key", "cookie", "proxy-authorization"]

    /// A JSON description of the request (`method`, `path`, `query`, `headers` as `[name, value]` pairs in order,
    /// `body_base64`), with `x-mock-echo: 1` and two `set-cookie` headers. `X-Mock-Status` sets the status.
    static func echo(_ request: MockRequest) -> MockResponse {
        let headers: [JSONValue] = request.head.headers
            .filter { !hiddenHeaders.contains($0.name.lowercased()) }
            .map { [.string($0.name), .string($0.value)] }
        let query: [(String, JSONValue)] = request.query.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }
        let status = request.header("x-mock-status").flatMap(Int.init).map { HTTPResponseStatus(statusCode: $0) } ?? .ok
        return .json(
            [
                "method": .string(request.method.rawValue),
                "path": .string(request.path),
                "query": .object(query),
                "headers": .array(headers),
                "body_base64": .string(Data(request.body.readableBytesView).base64EncodedString()),
            ],
            status: status,
            headers: [("x-mock-echo", "1"), ("set-cookie", "mock-a=1; Path=/"), ("set-cookie", "mock-b=2; Path=/")]
        )
    }

    static func binaryFile() -> MockResponse {
        .complete(.ok, contentType: "application/octet-stream", body: MockUpstreamServer.binaryFileBytes)
    }

    /// `size` bytes (default 1 MiB, at most 1 GiB) of ``MockUpstreamServer/patternBytes(count:)``.
    static func patternBytes(_ request: MockRequest) -> MockResponse {
        let size = min(max(request.query["size"].flatMap(Int.init) ?? 1 << 20, 0), 1 << 30)
        return .complete(.ok, contentType: "application/octet-stream", body: MockUpstreamServer.patternBytes(count: size))
    }
}
