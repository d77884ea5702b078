import Foundation
import Store

/// How prewarmed records are stored.
public struct PrewarmIngestOptions: Sendable {
    /// Whose cache the entries go into.
    public var partition: PrewarmPartition
    /// Entry lifetime; nil: the sidecar's default TTL.
    public var ttl: Duration?
    /// Decide every outcome but store nothing (and embed nothing).
    public var dryRun: Bool

    public init(partition: PrewarmPartition, ttl: Duration? = nil, dryRun: Bool = false) {
        self.partition = partition
        self.ttl = ttl
        self.dryRun = dryRun
    }
}

extension CachePipeline {
    /// Stores recorded answers exactly as live misses are stored: the same analysis (exact key,
    /// context key, semantic text), the same cacheability rules (deterministic requests only unless
    /// `cacheNondeterministic`), the same storing rules (2xx, JSON, streams only when they ended
    /// normally, size limit) and the same entry, so a prewarmed entry answers like one stored from
    /// traffic. `created_at` is the time of ingestion, not the log's timestamp, so the TTL counts
    /// from now.
    ///
    /// A record whose exact key is already stored (and not expired), or came earlier in `records`,
    /// is a duplicate: ingesting the same records twice adds nothing. The semantic texts of the
    /// batch are embedded in one embedder call; the entries are committed in one transaction and
    /// then added to the exact and vector indexes, so live requests hit them at once.
    ///
    /// - Returns: one outcome per record, in order.
    /// - Throws: ``PrewarmIngestError`` when the store is unavailable or the batch's transaction
    ///   fails (nothing of this batch is then stored).
    public func ingest(_ records: [PrewarmRecord], options: PrewarmIngestOptions) async throws(PrewarmIngestError) -> [PrewarmOutcome] {
        guard let store else { throw .storeUnavailable(storeFailure ?? "not opened") }
        await indexLoaded()
        let now = Date().timeIntervalSince1970
        let ttl = Double((options.ttl ?? configuration.defaultTTL).components.seconds)
        var outcomes = [PrewarmOutcome](repeating: .stored, count: records.count)
        var admitted: [(index: Int, request: CacheRequest, answer: RecordedResponse)] = []
        var seen = Set<CacheKey>()
        for (index, record) in records.enumerated() {
            switch admit(record, partition: options.partition) {
            case .failure(let issue):
                outcomes[index] = .skipped(issue)
            case .success(let (request, answer)):
                let key = request.exactKey
                if !seen.insert(key).inserted || memory.isStored(key, now: now) {
                    outcomes[index] = .duplicate
                } else {
                    admitted.append((index, request, answer))
                }
            }
        }
        guard !options.dryRun, !admitted.isEmpty else { return outcomes }

        let vectors = await embedSemanticTexts(of: admitted.map(\.request))
        let entries = admitted.enumerated().map { position, item in
            NewEntry(
                request: item.request, answer: item.answer, embedding: vectors[position], embedderID: semantic?.space.embedderID,
                upstreamMilliseconds: records[item.index].response?.upstreamMilliseconds ?? 0, createdAt: now, ttl: ttl)
        }
        let ids: [Int64]
        do {
            ids = try await store.insert(entries)
        } catch {
            storeError(error, while: "storing prewarmed entries")
            throw .storeFailed(error.description)
        }
        for ((item, entry), id) in zip(zip(admitted, entries), ids) {
            memory.storedInBatch(item.request.exactKey, id: id, entry: entry, context: item.request.contextKey)
        }
        stats.recordStored(entries: ids.count, bytes: entries.reduce(0) { $0 + Self.storedBytes(of: $1) })
        return outcomes
    }

    /// The record's analysed request and storable answer, or the issue that keeps it out.
    private func admit(_ record: PrewarmRecord, partition: PrewarmPartition) -> Result<(CacheRequest, RecordedResponse), PrewarmIssue> {
        func issue(_ kind: PrewarmIssueKind, _ reason: String) -> Result<(CacheRequest, RecordedResponse), PrewarmIssue> {
            .failure(PrewarmIssue(source: record.source, kind: kind, reason: reason))
        }
        guard let answer = record.response else {
            return issue(.noAnswer, "no recorded answer (replay it: semcache prewarm --upstream URL, or --url)")
        }
        let request: CacheRequest
        do {
            request = try CacheRequest.analyse(
                endpoint: record.endpoint, body: record.request.compactBytes,
                partition: partition.cachePartition(shared: configuration.sharedCache))
        } catch {
            return issue(.malformed, "request not understood: \(error)")
        }
        if let effect = request.serverSideEffect {
            return issue(.notCacheable, "a Responses API request with \(effect) is never cached")
        }
        if request.asksForRandomness && !configuration.cacheNondeterministic {
            return issue(.notCacheable, "asks for randomness (temperature above 0, or top_p/top_k/n without temperature 0); --cache-nondeterministic stores such requests")
        }
        guard answer.body.count <= configuration.maxStoredResponseBytes else {
            return issue(.notStorable, NotStoredReason.tooLarge.description)
        }
        let contentType = answer.isStream ? "text/event-stream" : "application/json"
        switch RecordedResponse.storable(status: answer.status, contentType: contentType, body: answer.body, endpoint: record.endpoint) {
        case .success(let recorded):
            return .success((request, recorded))
        case .failure(.status(let status)):
            return issue(.failedAnswer, "the recorded answer has status \(status)")
        case .failure(let reason):
            return issue(.notStorable, reason.description)
        }
    }

    /// The vector of each request's semantic text (nil for requests without one), from one
    /// embedder call. An embedder failure stores the entries without vectors (exact hits only).
    private func embedSemanticTexts(of requests: [CacheRequest]) async -> [[Float]?] {
        var vectors = [[Float]?](repeating: nil, count: requests.count)
        guard let semantic else { return vectors }
        let positions = requests.indices.filter { requests[$0].semanticText != nil && requests[$0].contextKey != nil }
        guard !positions.isEmpty else { return vectors }
        do {
            let embedded = try await semantic.embed(batch: positions.map { requests[$0].semanticText ?? "" })
            for (position, vector) in zip(positions, embedded) { vectors[position] = vector }
        } catch {
            stats.recordError(.embedder)
            logger.error("embedder failed; prewarmed entries stored without vectors", metadata: ["cause": "\(error)"])
        }
        return vectors
    }
}
