/// One dispatched server-sent event (WHATWG HTML §9.2, "event stream interpretation").
public struct SSEEvent: Sendable, Equatable {
    /// The event type: the last `event:` field, or `message` when there was none.
    public var event: String
    /// The `data:` lines joined with "\n".
    public var data: String
    /// The last event ID in force when the event was dispatched (`id:` persists across events).
    public var id: String

    public init(event: String = "message", data: String, id: String = "") {
        self.event = event
        self.data = data
        self.id = id
    }
}

/// A stream that cannot be parsed safely (an event larger than the parser's limit).
public struct SSEParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The limit that was exceeded, in bytes.
    public let limit: Int

    public var description: String {
        "a server-sent event exceeded \(limit) bytes; the rest of the stream is ignored"
    }
}
