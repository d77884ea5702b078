import Store

/// Keeps a copy of a forwarded response while it streams to the client, and afterwards says
/// whether it may be stored: 2xx, not content-encoded, within the size limit, and for streams
/// only a transcript that ended normally.
struct ResponseRecorder: Sendable {
    private(set) var status = 0
    private(set) var contentType: String?
    private var contentEncoded = false
    private(set) var body: [UInt8] = []
    private(set) var overflowed = false
    let limit: Int

    init(limit: Int) { self.limit = limit }

    mutating func recordHead(status: Int, headers: HeaderList) {
        self.status = status
        contentType = headers.first(named: "content-type")
        if let encoding = headers.first(named: "content-encoding")?.lowercased(), encoding != "identity" {
            contentEncoded = true
        }
    }

    mutating func recordBody(_ bytes: [UInt8]) {
        guard !overflowed else { return }
        if body.count + bytes.count > limit {
            overflowed = true
            body = []
        } else {
            body.append(contentsOf: bytes)
        }
    }

    /// What to store, or why not.
    func storable(for endpoint: CacheEndpoint) -> Result<RecordedResponse, NotStoredReason> {
        guard (200..<300).contains(status) else { return .failure(.status(status)) }
        guard !contentEncoded else { return .failure(.contentEncoded) }
        guard !overflowed else { return .failure(.tooLarge) }
        return RecordedResponse.storable(status: status, contentType: contentType, body: body, endpoint: endpoint)
    }
}

extension RecordedResponse {
    /// The storing rules shared by live answers and prewarmed ones: a 2xx status; for
    /// `text/event-stream` a transcript that ended normally per `endpoint`'s assembler; otherwise JSON
    /// (for the Responses API a response whose `status` is `completed`, as a stored stream must end).
    static func storable(status: Int, contentType: String?, body: [UInt8], endpoint: CacheEndpoint) -> Result<RecordedResponse, NotStoredReason> {
        guard (200..<300).contains(status) else { return .failure(.status(status)) }
        if contentType?.lowercased().hasPrefix("text/event-stream") == true {
            guard let assembled = StreamAssembler.assemble(endpoint: endpoint, stream: body).response else {
                return .failure(.incompleteStream)
            }
            return .success(RecordedResponse(status: status, kind: .sse, body: body, contentType: contentType, usage: TokenUsage(in: assembled)))
        }
        guard let json = try? JSONValue.parse(body) else { return .failure(.notJSON) }
        if endpoint == .responses, let status = json["status"]?.string, status != "completed" {
            return .failure(.unfinished(status))
        }
        return .success(RecordedResponse(status: status, kind: .json, body: body, contentType: contentType, usage: TokenUsage(in: json)))
    }
}

/// A response that may be stored.
struct RecordedResponse: Sendable {
    var status: Int
    var kind: ResponseKind
    var body: [UInt8]
    var contentType: String?
    var usage: TokenUsage
}

/// Why a forwarded response was not stored (logged at debug level).
enum NotStoredReason: Error, Equatable, CustomStringConvertible {
    case status(Int)
    case contentEncoded
    case tooLarge
    case incompleteStream
    case notJSON
    /// A Responses API answer that is not `completed` (`incomplete`, `failed`, `queued`, …).
    case unfinished(String)

    var description: String {
        switch self {
        case .status(let status): return "status \(status)"
        case .contentEncoded: return "content-encoded body"
        case .tooLarge: return "larger than the stored-response limit"
        case .incompleteStream: return "stream did not end normally"
        case .notJSON: return "body is not JSON"
        case .unfinished(let status): return "response status is \(status), not completed"
        }
    }
}

/// Tokens an answer cost, read from the API's `usage` object (OpenAI or Anthropic names).
struct TokenUsage: Sendable, Equatable {
    var prompt: Int?
    var completion: Int?

    init(prompt: Int?, completion: Int?) {
        self.prompt = prompt
        self.completion = completion
    }

    init(in response: JSONValue) {
        let usage = response["usage"]
        prompt = (usage?["prompt_tokens"] ?? usage?["input_tokens"])?.double.map { Int($0) }
        completion = (usage?["completion_tokens"] ?? usage?["output_tokens"])?.double.map { Int($0) }
    }
}
