import Foundation
import NIOCore
import NIOHTTP1

/// A complete request received by the mock.
struct MockRequest {
    let head: HTTPRequestHead
    let body: ByteBuffer
    let path: String
    let query: [String: String]

    init(head: HTTPRequestHead, body: ByteBuffer) {
        self.head = head
        self.body = body
        let target = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        path = String(target.first ?? "/")
        var query: [String: String] = [:]
        for pair in target.dropFirst().first?.split(separator: "&") ?? [] {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let value = parts.count > 1 ? String(parts[1]) : ""
            query[String(parts[0])] = value.removingPercentEncoding ?? value
        }
        self.query = query
    }

    var method: HTTPMethod { head.method }

    func header(_ name: String) -> String? { head.headers.first(name: name) }

    /// A millisecond count from a header, if present and valid.
    func milliseconds(_ header: String) -> TimeAmount? {
        self.header(header).flatMap { Int64($0) }.map { .milliseconds(max(0, $0)) }
    }

    /// The body parsed as a JSON object, or `nil` if it is not one.
    func jsonObject() -> [String: Any]? {
        guard body.readableBytes > 0 else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any]
    }
}
