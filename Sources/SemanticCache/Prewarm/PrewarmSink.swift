/// Where a prewarm run sends records: the pipeline in this process (`--db`, and the sidecar's own
/// `POST /_semcache/prewarm`), or a running sidecar over HTTP (`--url`).
public protocol PrewarmSink: Sendable {
    /// Whether ``replay(_:)`` can send records upstream. When not, records without an answer are
    /// ingested and come back skipped as ``PrewarmIssueKind/noAnswer``.
    var canReplay: Bool { get }
    /// Stores a batch of records with answers, committed together.
    func ingest(_ records: [PrewarmRecord]) async throws -> PrewarmBatchResult
    /// Sends one record upstream through the cache.
    func replay(_ record: PrewarmRecord) async -> PrewarmOutcome
}

/// Prewarms through a ``CachePipeline`` in this process.
public struct PipelinePrewarmSink: PrewarmSink {
    public let pipeline: CachePipeline
    public let options: PrewarmIngestOptions
    /// How to replay; nil: records without an answer are skipped.
    public let replaying: PrewarmReplay?

    public init(pipeline: CachePipeline, options: PrewarmIngestOptions, replaying: PrewarmReplay?) {
        self.pipeline = pipeline
        self.options = options
        self.replaying = replaying
    }

    public var canReplay: Bool { replaying != nil }

    public func ingest(_ records: [PrewarmRecord]) async throws -> PrewarmBatchResult {
        PrewarmBatchResult(try await pipeline.ingest(records, options: options))
    }

    public func replay(_ record: PrewarmRecord) async -> PrewarmOutcome {
        guard let replaying else { return .skipped(PrewarmIssue(source: record.source, kind: .noAnswer, reason: "no upstream to replay it with")) }
        return await pipeline.replay(record, with: replaying)
    }
}
