/// An error from an embedder: what went wrong, where, and what to do about it.
public struct EmbeddingError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure, for callers that react differently to each (e.g. count or fall back).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A model file or directory is missing.
        public static let modelMissing = Code("modelMissing")
        /// A model file exists but cannot be used (bad header, truncated, wrong shapes).
        public static let modelDamaged = Code("modelDamaged")
        /// The remote embedding service answered with an error status.
        public static let remoteStatus = Code("remoteStatus")
        /// The remote embedding service did not answer in time.
        public static let remoteTimeout = Code("remoteTimeout")
        /// The remote embedding service answered with something that is not a usable embeddings response.
        public static let remoteBadResponse = Code("remoteBadResponse")
        /// The request could not be sent to the remote embedding service.
        public static let remoteTransport = Code("remoteTransport")
        /// The embedder was shut down before it could answer.
        public static let stopped = Code("stopped")
    }

    private enum Reason: Sendable {
        case modelMissing(path: String)
        case modelDamaged(path: String, detail: String)
        case remoteStatus(url: String, status: Int, message: String)
        case remoteTimeout(url: String, seconds: Double)
        case remoteBadResponse(url: String, detail: String)
        case remoteTransport(url: String, detail: String)
        case stopped
    }

    private let reason: Reason

    private init(_ reason: Reason) { self.reason = reason }

    static func modelMissing(path: String) -> Self { Self(.modelMissing(path: path)) }
    static func modelDamaged(path: String, _ detail: String) -> Self { Self(.modelDamaged(path: path, detail: detail)) }
    static func remoteStatus(url: String, status: Int, message: String) -> Self {
        Self(.remoteStatus(url: url, status: status, message: message))
    }
    static func remoteTimeout(url: String, seconds: Double) -> Self { Self(.remoteTimeout(url: url, seconds: seconds)) }
    static func remoteBadResponse(url: String, _ detail: String) -> Self { Self(.remoteBadResponse(url: url, detail: detail)) }
    static func remoteTransport(url: String, _ detail: String) -> Self { Self(.remoteTransport(url: url, detail: detail)) }
    static let stopped = Self(.stopped)

    /// The kind of failure.
    public var code: Code {
        switch reason {
        case .modelMissing: .modelMissing
        case .modelDamaged: .modelDamaged
        case .remoteStatus: .remoteStatus
        case .remoteTimeout: .remoteTimeout
        case .remoteBadResponse: .remoteBadResponse
        case .remoteTransport: .remoteTransport
        case .stopped: .stopped
        }
    }

    private static let modelFix = "run `make model` (or `scripts/fetch-model.sh <dir>`) to fetch all-MiniLM-L6-v2, or point --model-dir / SEMCACHE_MODEL_DIR at a directory with config.json, vocab.txt and model.safetensors"

    public var description: String {
        switch reason {
        case .modelMissing(let path):
            "embedding model file \(path) is missing: \(Self.modelFix)"
        case .modelDamaged(let path, let detail):
            "embedding model file \(path) is damaged (\(detail)): delete it and \(Self.modelFix)"
        case .remoteStatus(let url, let status, let message):
            "remote embedder \(url) answered HTTP \(status): \(message)"
        case .remoteTimeout(let url, let seconds):
            "remote embedder \(url) did not answer within \(seconds) s: check that it is running or raise the timeout"
        case .remoteBadResponse(let url, let detail):
            "remote embedder \(url) sent an unusable response: \(detail)"
        case .remoteTransport(let url, let detail):
            "could not reach remote embedder \(url): \(detail)"
        case .stopped:
            "the embedder was shut down before it answered"
        }
    }
}
