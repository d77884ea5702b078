import Foundation
import NIOCore
import NIOHTTP1

/// A complete request received by the mock.
struct MockRequest {
    let head: HTTPRequestHead
    let body: ByteBuffer
    let path: String
    let query: [String: String]
    /// Paraphrase classes that decide the answers, when the mock has them.
    let classes: MockAnswerClasses?

    init(head: HTTPRequestHead, body: ByteBuffer, classes: MockAnswerClasses? = nil) {
        self.head = head
        self.body = body
        self.classes = classes
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

    /// The prompt of a chat or messages body, with its class's answer when it has one.
    func messagesPrompt() -> MockPrompt? {
        guard let json = jsonObject(), var prompt = MockPrompt(messagesRequest: json) else { return nil }
        prompt.classAnswer = classes?.answer(for: prompt.lastUserText)
        return prompt
    }

    /// The body parsed as a JSON object, or `nil` if it is not one.
    func jsonObject() -> [String: Any]? {
        guard body.readableBytes > 0 else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any]
    }
}
