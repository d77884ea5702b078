/// The JSON shape of the errors the sidecar answers itself (bad `X-Semcache-*` headers, oversized
/// bodies, upstream failures), chosen by the request path so each API's SDK can read them.
public enum ErrorShape: Sendable, Equatable {
    /// `{"error":{"message":…,"type":…,"code":…}}`, OpenAI's shape (also the sidecar's own admin routes).
    case openAI
    /// `{"type":"error","error":{"type":…,"message":…}}`, Anthropic's shape.
    case anthropic

    /// Anthropic's shape for Anthropic's paths (`/v1/messages` and below it, `/v1/complete`);
    /// OpenAI's for every other path. A query string is ignored.
    public init(path: some StringProtocol) {
        let pathOnly = path.prefix { $0 != "?" }
        let isAnthropic = pathOnly == "/v1/messages" || pathOnly.hasPrefix("/v1/messages/") || pathOnly == "/v1/complete"
        self = isAnthropic ? .anthropic : .openAI
    }

    /// The error body in this shape.
    func body(type: String, message: String) -> JSONValue {
        switch self {
        case .openAI:
            ["error": ["message": .string(message), "type": .string(type), "code": .string(type)]]
        case .anthropic:
            ["type": "error", "error": ["type": .string(type), "message": .string(message)]]
        }
    }
}
