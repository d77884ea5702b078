import Foundation
import Store

extension CachePipeline {
    /// Restores exported entries as they were: the same keys (so the same partitions), creation
    /// and expiry times, hit counts and, when this cache uses the same embedder, the same vectors
    /// (otherwise the prompt is embedded again; without an embedder they are kept as they are).
    /// Entries whose lifetime is over, entries from a cache partitioned the other way, and entries
    /// whose key is already stored are skipped. Committed in one transaction, then added to the
    /// exact and vector indexes, so live requests hit them at once.
    ///
    /// - Returns: one outcome per entry, in order.
    /// - Throws: ``PrewarmIngestError`` when the store is unavailable or the transaction fails.
    public func restore(_ exported: [ExportedEntry], dryRun: Bool) async throws(PrewarmIngestError) -> [PrewarmOutcome] {
        guard let store else { throw .storeUnavailable(storeFailure ?? "not opened") }
        await indexLoaded()
        let now = Date().timeIntervalSince1970
        let partitioning = Partitioning(sharedCache: configuration.sharedCache)
        var outcomes = [PrewarmOutcome](repeating: .stored, count: exported.count)
        var admitted: [(index: Int, key: CacheKey, context: CacheKey?)] = []
        var seen = Set<CacheKey>()
        for (index, item) in exported.enumerated() {
            func skip(_ kind: PrewarmIssueKind, _ reason: String) { outcomes[index] = .skipped(PrewarmIssue(source: item.source, kind: kind, reason: reason)) }
            guard let key = CacheKey(bytes: item.entry.key) else { skip(.malformed, "key is not 32 bytes"); continue }
            if item.partitioning != partitioning {
                skip(.otherPartitioning, "exported from a cache \(item.partitioning == .shared ? "shared between API keys" : "partitioned by API key"); "
                    + "this one is \(partitioning == .shared ? "shared" : "partitioned by API key") (prewarm it into a new --db\(item.partitioning == .shared ? " with --shared-cache" : ""))")
            } else if item.entry.expiresAt <= now {
                skip(.expired, "expired at \(ISO8601Timestamp.format(item.entry.expiresAt))")
            } else if !seen.insert(key).inserted || memory.isStored(key, now: now) {
                outcomes[index] = .duplicate
            } else {
                admitted.append((index, key, item.entry.contextKey.flatMap { CacheKey(bytes: $0) }))
            }
        }
        guard !dryRun, !admitted.isEmpty else { return outcomes }

        var entries = admitted.map { exported[$0.index].entry }
        await embedAgain(&entries)
        let ids: [Int64]
        do {
            ids = try await store.insert(entries)
            let hits = zip(admitted, ids).compactMap { item, id -> HitCount? in
                let exported = exported[item.index]
                return exported.hits > 0 ? HitCount(id: id, count: exported.hits, lastAt: exported.lastHitAt ?? exported.entry.createdAt) : nil
            }
            try await store.addHits(hits)
        } catch {
            storeError(error, while: "restoring exported entries")
            throw .storeFailed(error.description)
        }
        for ((item, entry), id) in zip(zip(admitted, entries), ids) {
            memory.storedInBatch(item.key, id: id, entry: entry, context: item.context)
        }
        stats.recordStored(entries: ids.count, bytes: entries.reduce(0) { $0 + Self.storedBytes(of: $1) })
        return outcomes
    }

    /// Keeps the vectors made by this cache's embedder (all of them when it has none: they serve a
    /// later start with that embedder); embeds the prompts of the others again, in one call, or
    /// drops their vectors when that fails (exact hits only).
    private func embedAgain(_ entries: inout [NewEntry]) async {
        guard let semantic else { return }
        let embedderID = semantic.space.embedderID
        let stale = entries.indices.filter { entries[$0].embedding == nil || entries[$0].embedderID != embedderID }
        for index in stale {
            entries[index].embedding = nil
            entries[index].embedderID = nil
        }
        let positions = stale.filter { entries[$0].prompt != nil && entries[$0].contextKey != nil }
        guard !positions.isEmpty else { return }
        do {
            let vectors = try await semantic.embed(batch: positions.map { entries[$0].prompt ?? "" })
            for (position, vector) in zip(positions, vectors) {
                entries[position].embedding = vector
                entries[position].embedderID = embedderID
            }
        } catch {
            stats.recordError(.embedder)
            logger.error("embedder failed; restored entries stored without vectors", metadata: ["cause": "\(error)"])
        }
    }
}
