import NIOCore
import NIOHTTP1

/// Chooses the response for a request: control endpoints, faults, API endpoints, pass-through targets.
struct MockRouter {
    let state: MockState
    let defaultLatency: TimeAmount

    func response(for request: MockRequest) -> MockResponse {
        if let control = controlResponse(request) { return control }
        let fault = request.header("x-mock-fault")?.lowercased()
        var response = faultResponse(fault, request) ?? endpointResponse(request)
        response.headDelay = request.milliseconds("x-mock-latency-ms") ?? defaultLatency
        response.chunkDelay = request.milliseconds("x-mock-chunk-delay-ms") ?? .zero
        response.gate = request.header("x-mock-stream-gate")
        switch fault {
        case "drop": response.dropWithoutAnswer = true
        case "drop-mid-stream": response.dropMidway()
        case "slow-first-byte": response.headDelay = response.headDelay + (request.milliseconds("x-mock-delay-ms") ?? .seconds(3))
        default: break
        }
        return response
    }

    private func controlResponse(_ request: MockRequest) -> MockResponse? {
        switch (request.method, request.path) {
        case (.GET, "/_mock/stats"):
            let paths = state.requestCounts.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.int($0.value)) }
            return .json(["connections": .int(state.acceptedConnections), "paths": .object(paths)])
        case (.POST, "/_mock/release"):
            guard let gate = request.query["gate"], !gate.isEmpty else {
                return OpenAIError.invalidRequest("POST /_mock/release needs a 'gate' query parameter.")
            }
            state.releaseGate(gate)
            return .json(["released": .string(gate)])
        default:
            return nil
        }
    }

    private func faultResponse(_ fault: String?, _ request: MockRequest) -> MockResponse? {
        let anthropic = request.path == "/v1/messages"
        switch fault {
        case "500":
            let message = "Mock upstream fault 500 (X-Mock-Fault)."
            return anthropic
                ? AnthropicMessagesMock.error(message, type: "api_error", status: .internalServerError)
                : OpenAIError.body(message, type: "server_error", status: .internalServerError)
        case "429":
            let message = "Mock upstream rate limit (X-Mock-Fault: 429). Retry after 1 second."
            let headers = [("retry-after", "1")]
            return anthropic
                ? AnthropicMessagesMock.error(message, type: "rate_limit_error", status: .tooManyRequests, headers: headers)
                : OpenAIError.body(message, type: "rate_limit_exceeded", status: .tooManyRequests, headers: headers)
        default:
            return nil
        }
    }

    private func endpointResponse(_ request: MockRequest) -> MockResponse {
        // HEAD is answered like GET; the writer then leaves the body out.
        switch (request.method == .HEAD ? .GET : request.method, request.path) {
        case (.POST, "/v1/chat/completions"): OpenAIChatMock.respond(to: request)
        case (.POST, "/v1/completions"): OpenAICompletionsMock.respond(to: request)
        case (.POST, "/v1/embeddings"): OpenAIEmbeddingsMock.respond(to: request)
        case (.POST, "/v1/messages"): AnthropicMessagesMock.respond(to: request)
        case (.POST, "/v1/responses"): OpenAIResponsesMock.respond(to: request, state: state)
        case (.GET, let path) where path.hasPrefix(OpenAIResponsesMock.retrievePrefix) && !path.dropFirst(OpenAIResponsesMock.retrievePrefix.count).contains("/"):
            OpenAIResponsesMock.retrieve(request, state: state)
        case (.GET, "/v1/files/binary"): PassThroughMock.binaryFile()
        case (.GET, "/_mock/bytes"): PassThroughMock.patternBytes(request)
        default: PassThroughMock.echo(request)
        }
    }
}
