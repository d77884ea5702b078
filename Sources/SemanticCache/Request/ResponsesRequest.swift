/// What a Responses API request (`POST /v1/responses`) asks of the upstream beyond its output, read from the
/// parsed body: whether the upstream stores the response (so its id can be chained), and whether it changes
/// state the upstream keeps (so answering it from the cache would skip that).
enum ResponsesRequest {
    /// `store` (absent or `null` means `true`): whether the upstream keeps the response, so its id can be
    /// used as `previous_response_id`. Part of the keys, because `store` itself is left out of the canonical body.
    static func storesUpstream(_ body: JSONCursor) -> Bool {
        body["store"]?.bool ?? true
    }

    /// The key bytes for ``storesUpstream(_:)``.
    static func storeKeyFacet(_ body: JSONCursor) -> [UInt8] {
        Array("responses-store:\(storesUpstream(body))\n".utf8)
    }

    /// Why the request must reach the upstream even when an answer is stored, or `nil`:
    /// `background: true` (the upstream queues the response and the caller polls it by id) and a
    /// `conversation` (the upstream adds the input and output to it, and its earlier items — which the key
    /// cannot see — are part of the prompt).
    static func serverSideEffect(_ body: JSONCursor) -> ServerSideEffect? {
        if body["background"]?.bool == true { return .background }
        if let conversation = body["conversation"], conversation.kind != .null { return .conversation }
        return nil
    }
}

/// A request that changes state the upstream keeps, so it is never answered from (or stored in) the cache.
public enum ServerSideEffect: Sendable, Equatable, CustomStringConvertible {
    /// Responses API `background: true`: the answer is a queued response to poll.
    case background
    /// Responses API `conversation`: the upstream appends to a conversation whose items the key cannot see.
    case conversation

    /// The request field that causes it, for messages.
    public var description: String {
        switch self {
        case .background: "background: true"
        case .conversation: "a conversation"
        }
    }
}
