/// The outcome of assembling a streamed answer into the equivalent non-streamed JSON answer.
public enum StreamAssemblyResult: Sendable, Equatable {
    /// The stream ended normally; the assembled answer may be stored.
    case complete(JSONValue)
    /// The stream was truncated, reported an error, or could not be understood; it must not be stored.
    case incomplete(reason: String)

    /// The assembled answer when complete.
    public var response: JSONValue? {
        if case .complete(let response) = self { return response }
        return nil
    }
}
