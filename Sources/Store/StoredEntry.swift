/// How a stored response body is encoded.
public enum ResponseKind: String, Sendable {
    /// A complete JSON body.
    case json
    /// A server-sent-events transcript that ended normally.
    case sse
}

/// A response to store, with what is needed to find it again.
public struct NewEntry: Sendable {
    /// The exact key (SHA-256 of the canonical request).
    public var key: [UInt8]
    /// The context key (the canonical request without its newest user text), when it has one.
    public var contextKey: [UInt8]?
    public var endpoint: String
    public var model: String?
    public var namespace: String
    /// The newest user text (what semantic search compares), or nil.
    public var prompt: String?
    /// The prompt's L2-normalised embedding and the embedder that made it.
    public var embedding: [Float]?
    public var embedderID: String?
    public var response: [UInt8]
    public var responseKind: ResponseKind
    public var status: Int
    public var contentType: String?
    public var promptTokens: Int?
    public var completionTokens: Int?
    /// How long the upstream took to answer, in milliseconds.
    public var upstreamMilliseconds: Double
    /// Unix time, seconds.
    public var createdAt: Double
    /// Unix time, seconds.
    public var expiresAt: Double

    public init(
        key: [UInt8], contextKey: [UInt8]?, endpoint: String, model: String?, namespace: String,
        prompt: String?, embedding: [Float]? = nil, embedderID: String? = nil,
        response: [UInt8], responseKind: ResponseKind, status: Int, contentType: String?,
        promptTokens: Int?, completionTokens: Int?, upstreamMilliseconds: Double,
        createdAt: Double, expiresAt: Double
    ) {
        self.key = key
        self.contextKey = contextKey
        self.endpoint = endpoint
        self.model = model
        self.namespace = namespace
        self.prompt = prompt
        self.embedding = embedding
        self.embedderID = embedderID
        self.response = response
        self.responseKind = responseKind
        self.status = status
        self.contentType = contentType
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.upstreamMilliseconds = upstreamMilliseconds
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// A stored entry as read back, with its id and hit statistics.
public struct StoredEntry: Sendable {
    public var id: Int64
    public var entry: NewEntry
    public var hits: Int
    public var lastHitAt: Double?

    public init(id: Int64, entry: NewEntry, hits: Int, lastHitAt: Double?) {
        self.id = id
        self.entry = entry
        self.hits = hits
        self.lastHitAt = lastHitAt
    }
}

/// What the in-memory indexes need of each entry at start-up: no response bodies.
public struct IndexRow: Sendable {
    public var id: Int64
    public var key: [UInt8]
    public var contextKey: [UInt8]?
    public var embedderID: String?
    public var embedding: [Float]?
    public var createdAt: Double
    public var expiresAt: Double
    public var lastHitAt: Double?
    public var sizeBytes: Int

    public init(
        id: Int64, key: [UInt8], contextKey: [UInt8]?, embedderID: String?, embedding: [Float]?,
        createdAt: Double, expiresAt: Double, lastHitAt: Double?, sizeBytes: Int
    ) {
        self.id = id
        self.key = key
        self.contextKey = contextKey
        self.embedderID = embedderID
        self.embedding = embedding
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastHitAt = lastHitAt
        self.sizeBytes = sizeBytes
    }
}

/// Hits on one entry counted since the last flush.
public struct HitCount: Sendable {
    public var id: Int64
    public var count: Int
    /// Unix time of the latest of them.
    public var lastAt: Double

    public init(id: Int64, count: Int, lastAt: Double) {
        self.id = id
        self.count = count
        self.lastAt = lastAt
    }
}
