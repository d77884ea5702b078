import NIOCore
import SemanticCache

/// What ``FastPathHandler`` (in front of NIO's HTTP codec) tells ``RequestHandler`` (behind it)
/// about the requests it passes on, in their order: the pipeline's decision when it already asked
/// for it, so no request is analysed twice. One per connection; both handlers run on its event loop.
final class PreparedRequests {
    private var decisions = CircularBuffer<Preparation?>()

    /// The next request passed on to NIO's codec was (or, nil, was not) prepared.
    func append(_ decision: Preparation?) {
        decisions.append(decision)
    }

    /// The decision for the request NIO's codec delivers now; nil when there is none.
    func next() -> Preparation? {
        decisions.popFirst() ?? nil
    }
}

/// Sent toward the socket after every response written behind ``FastPathHandler`` ends, so the fast
/// path knows when no response is owed any more and it may answer the next request itself.
struct ResponseEnded: Sendable {}
