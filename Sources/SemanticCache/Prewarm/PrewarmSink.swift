/// Where a prewarm run sends records: the pipeline in this process (`--db`, and the sidecar's own
/// `POST /_semcache/prewarm`), or a running sidecar over HTTP (`--url`).
public protocol PrewarmSink: Sendable {
    /// Stores a batch of records from the answers they carry, committed together; records without
    /// an answer come back skipped as ``PrewarmIssueKind/noAnswer``.
    func ingest(_ records: [PrewarmRecord]) async throws -> PrewarmBatchResult
    /// Restores a batch of exported entries as they were, committed together.
    func restore(_ entries: [ExportedEntry]) async throws -> PrewarmBatchResult
    /// Sends one record upstream through the cache (only with ``PrewarmSettings/replay``).
    func replay(_ record: PrewarmRecord) async -> PrewarmOutcome
}

/// Prewarms through a ``CachePipeline`` in this process.
public struct PipelinePrewarmSink: PrewarmSink {
    public let pipeline: CachePipeline
    public let options: PrewarmIngestOptions
    /// How to replay; nil: this sink cannot replay (``replay(_:)`` skips the record).
    public let replaying: PrewarmReplay?

    public init(pipeline: CachePipeline, options: PrewarmIngestOptions, replaying: PrewarmReplay?) {
        self.pipeline = pipeline
        self.options = options
        self.replaying = replaying
    }

    public func ingest(_ records: [PrewarmRecord]) async throws -> PrewarmBatchResult {
        PrewarmBatchResult(try await pipeline.ingest(records, options: options))
    }

    public func restore(_ entries: [ExportedEntry]) async throws -> PrewarmBatchResult {
        PrewarmBatchResult(try await pipeline.restore(entries, dryRun: options.dryRun))
    }

    public func replay(_ record: PrewarmRecord) async -> PrewarmOutcome {
        guard let replaying else { return .skipped(PrewarmIssue(source: record.source, kind: .noAnswer, reason: "no upstream to replay it with")) }
        return await pipeline.replay(record, with: replaying)
    }
}
