/// Which entries an operator means: every condition given must hold (an empty filter matches
/// every entry; callers that delete ask for an explicit "all" before passing one).
public struct EntryFilter: Sendable, Equatable {
    /// Only these ids.
    public var ids: [Int64]?
    /// Only entries of this model (exact name, as the request sent it).
    public var model: String?
    /// Only entries of this namespace (`X-Semcache-Namespace`; "" is the default namespace).
    public var namespace: String?
    /// Only entries created before this unix time (seconds).
    public var createdBefore: Double?

    public init(ids: [Int64]? = nil, model: String? = nil, namespace: String? = nil, createdBefore: Double? = nil) {
        self.ids = ids
        self.model = model
        self.namespace = namespace
        self.createdBefore = createdBefore
    }

    /// True when no condition is set.
    public var matchesEverything: Bool { ids == nil && model == nil && namespace == nil && createdBefore == nil }

    /// The SQL condition and its parameters, in order.
    var sql: (condition: String, values: [SQLiteValue]) {
        var conditions: [String] = []
        var values: [SQLiteValue] = []
        if let ids {
            conditions.append("id IN (SELECT value FROM json_each(?))")
            values.append(.text("[" + ids.map(String.init).joined(separator: ",") + "]"))
        }
        if let model {
            conditions.append("model = ?")
            values.append(.text(model))
        }
        if let namespace {
            conditions.append("namespace = ?")
            values.append(.text(namespace))
        }
        if let createdBefore {
            conditions.append("created_at < ?")
            values.append(.real(createdBefore))
        }
        return (conditions.isEmpty ? "1" : conditions.joined(separator: " AND "), values)
    }
}

/// An entry as listed for operators: no response body, no vector.
public struct EntrySummary: Sendable, Equatable {
    public var id: Int64
    public var endpoint: String
    public var model: String?
    public var namespace: String
    /// The newest user text (what semantic search compares), cut to 200 characters; nil when none.
    public var promptPreview: String?
    public var hits: Int
    public var createdAt: Double
    public var lastHitAt: Double?
    /// Response, prompt and vector bytes.
    public var sizeBytes: Int
    public var promptTokens: Int?
    public var completionTokens: Int?
    public var upstreamMilliseconds: Double

    public init(
        id: Int64, endpoint: String, model: String?, namespace: String, promptPreview: String?, hits: Int,
        createdAt: Double, lastHitAt: Double?, sizeBytes: Int, promptTokens: Int?, completionTokens: Int?,
        upstreamMilliseconds: Double
    ) {
        self.id = id
        self.endpoint = endpoint
        self.model = model
        self.namespace = namespace
        self.promptPreview = promptPreview
        self.hits = hits
        self.createdAt = createdAt
        self.lastHitAt = lastHitAt
        self.sizeBytes = sizeBytes
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.upstreamMilliseconds = upstreamMilliseconds
    }
}

/// How to order an entries listing.
public enum EntryOrder: String, Sendable, CaseIterable {
    /// Newest first.
    case newest
    /// Most hits first (then newest).
    case hits
}
