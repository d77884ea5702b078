/// The log formats `semcache prewarm` reads.
public enum PrewarmFormat: String, Sendable, CaseIterable {
    /// The sidecar's own traffic log (`serve --log-file`).
    case semcache
    /// Generic JSONL: `{"request": {...}, "response": {...}}` a line.
    case pairs
    /// An OpenAI Batch API input file and its output file, joined on `custom_id`.
    case openAIBatch = "openai-batch"
    /// HAR 1.2 recordings (browser devtools, mitmproxy, Playwright).
    case har
    /// `semcache export` output: entries restored as they were (keys, partition, times, hits, vectors).
    case export = "semcache-export"

    /// A human name for messages.
    public var displayName: String {
        switch self {
        case .semcache: "semcache traffic log"
        case .pairs: "request/response pairs"
        case .openAIBatch: "OpenAI Batch API file"
        case .har: "HAR"
        case .export: "semcache export"
        }
    }
}
