/// Requests of one kind in one time bucket, and what the hits among them saved.
public struct StatsRequestRow: Sendable, Equatable {
    /// Unix seconds at the start of the bucket (for aggregated rows: the start of the window or step).
    public var bucketStart: Int64
    public var endpoint: String
    public var model: String
    /// `hit_exact`, `hit_semantic`, `miss`, `bypass`, `pass_through`, `invalid`.
    public var result: String
    /// The bypass reason or the miss reason; empty when there is none.
    public var detail: String
    public var requests: Int
    public var promptTokensSaved: Int
    public var completionTokensSaved: Int
    public var costSavedUSD: Double
    public var upstreamMillisecondsSaved: Double

    public init(
        bucketStart: Int64, endpoint: String, model: String, result: String, detail: String, requests: Int,
        promptTokensSaved: Int = 0, completionTokensSaved: Int = 0, costSavedUSD: Double = 0, upstreamMillisecondsSaved: Double = 0
    ) {
        self.bucketStart = bucketStart
        self.endpoint = endpoint
        self.model = model
        self.result = result
        self.detail = detail
        self.requests = requests
        self.promptTokensSaved = promptTokensSaved
        self.completionTokensSaved = completionTokensSaved
        self.costSavedUSD = costSavedUSD
        self.upstreamMillisecondsSaved = upstreamMillisecondsSaved
    }
}

/// A named counter (errors, stored entries and bytes, purges) in one time bucket.
public struct StatsCounterRow: Sendable, Equatable {
    public var bucketStart: Int64
    public var name: String
    public var value: Double

    public init(bucketStart: Int64, name: String, value: Double) {
        self.bucketStart = bucketStart
        self.name = name
        self.value = value
    }
}

/// One bucket of a latency histogram in one time bucket: how many observations were at most
/// `upperBoundMilliseconds` (and above the previous bound), and their sum.
public struct StatsLatencyRow: Sendable, Equatable {
    public var bucketStart: Int64
    /// `hit` or `miss_overhead`.
    public var name: String
    /// The bucket's upper bound; `.infinity` for the last one.
    public var upperBoundMilliseconds: Double
    public var count: Int
    public var sumMilliseconds: Double

    public init(bucketStart: Int64, name: String, upperBoundMilliseconds: Double, count: Int, sumMilliseconds: Double) {
        self.bucketStart = bucketStart
        self.name = name
        self.upperBoundMilliseconds = upperBoundMilliseconds
        self.count = count
        self.sumMilliseconds = sumMilliseconds
    }
}

/// Statistics rows written together; each row is added to what its bucket already holds.
public struct StatsBatch: Sendable, Equatable {
    public var requests: [StatsRequestRow]
    public var counters: [StatsCounterRow]
    public var latency: [StatsLatencyRow]

    public init(requests: [StatsRequestRow] = [], counters: [StatsCounterRow] = [], latency: [StatsLatencyRow] = []) {
        self.requests = requests
        self.counters = counters
        self.latency = latency
    }

    public var isEmpty: Bool { requests.isEmpty && counters.isEmpty && latency.isEmpty }
}

/// The statistics tables, for merging old buckets: their key columns (besides `bucket_start`)
/// and summed columns.
public enum StatsTables {
    public static let all: [(name: String, keys: [String], sums: [String])] = [
        ("stats_buckets", ["endpoint", "model", "result", "detail"],
         ["requests", "prompt_tokens_saved", "completion_tokens_saved", "cost_saved_usd", "upstream_ms_saved"]),
        ("stats_counters", ["name"], ["value"]),
        ("stats_latency", ["name", "le_ms"], ["count", "sum_ms"]),
    ]
}
