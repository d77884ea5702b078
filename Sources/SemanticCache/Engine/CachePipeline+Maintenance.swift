import Foundation
import Store

extension CachePipeline {
    /// Entries and bytes the store holds (as the eviction budget counts them).
    public var cacheUsage: StoreUsage { memory.usage }

    /// Most entries evicted in one store transaction.
    static let evictionBatchSize = 500

    /// How long the maintenance duty lasts without renewal: a fleet's janitor that dies is
    /// replaced within this time. Renewed every round (at least once a second).
    static let maintenanceLease: Duration = .seconds(10)
    /// How long deletion records stay for replicas that follow the change feed.
    static let deletionRecordsKept = 86_400.0

    /// Starts removing expired entries and enforcing ``SidecarConfiguration/eviction`` in the
    /// background. On a store shared by a fleet only the sidecar holding the maintenance duty does
    /// it; the others take over when its lease runs out.
    func startMaintenance() {
        guard store != nil else { return }
        janitor.start(
            interval: configuration.maintenanceInterval,
            sweepExpired: { [self] in
                guard await holdsMaintenanceDuty() else { return }
                await removeExpired()
                await compactStatistics()
                await pruneDeletionRecords()
            },
            enforceBudget: { [self] in
                guard await holdsMaintenanceDuty() else { return }
                await evictOverBudget()
            })
    }

    /// Claims or renews the maintenance duty; false when another sidecar holds it or the store
    /// cannot be asked.
    func holdsMaintenanceDuty() async -> Bool {
        guard let store else { return false }
        do {
            return try await store.claimMaintenance(holder: maintenanceHolder, lease: Self.maintenanceLease)
        } catch {
            storeError(error, while: "claiming the maintenance duty")
            return false
        }
    }

    /// Drops deletion records no replica needs any more.
    func pruneDeletionRecords() async {
        guard let feed = store as? any CacheChangeFeed else { return }
        do { try await feed.pruneDeletions(olderThan: Self.deletionRecordsKept) } catch { storeError(error, while: "pruning deletion records") }
    }

    /// Deletes the entries that expired and forgets them in every index; returns how many.
    @discardableResult
    func removeExpired(now: Double = Date().timeIntervalSince1970) async -> Int {
        guard let store else { return 0 }
        do {
            let ids = try await store.deleteExpired(before: now)
            memory.forget(ids: ids)
            if !ids.isEmpty { logger.debug("removed expired entries", metadata: ["entries": "\(ids.count)"]) }
            return ids.count
        } catch {
            storeError(error, while: "removing expired entries")
            return 0
        }
    }

    /// How long statistics keep their one-minute buckets before they are merged per hour, and the
    /// hourly ones before they are merged per day.
    static let statsMinutesKept: Int64 = 2 * 86_400
    static let statsHoursKept: Int64 = 90 * 86_400

    /// Merges statistics older than ``statsMinutesKept`` into hourly buckets and older than
    /// ``statsHoursKept`` into daily ones, so the stats tables stop growing by a row per minute.
    func compactStatistics(now: Double = Date().timeIntervalSince1970) async {
        guard let store else { return }
        let now = Int64(now)
        do {
            for (kept, granularity): (Int64, Int64) in [(Self.statsMinutesKept, 3600), (Self.statsHoursKept, 86_400)] {
                let cutoff = (now - kept) / granularity * granularity
                try await store.compactStats(before: cutoff, granularity: granularity)
            }
        } catch {
            storeError(error, while: "compacting statistics")
        }
    }

    /// Evicts the least recently hit entries (vectors included) until the store is within its
    /// budget; returns how many were evicted.
    @discardableResult
    func evictOverBudget() async -> Int {
        guard configuration.eviction.isLimited else { return 0 }
        let victims = memory.overBudget(configuration.eviction)
        var evicted = 0
        for start in stride(from: 0, to: victims.count, by: Self.evictionBatchSize) {
            let batch = Array(victims[start..<min(start + Self.evictionBatchSize, victims.count)])
            do {
                evicted += try await purge(ids: batch)
            } catch {
                storeError(error, while: "evicting entries")
                break
            }
        }
        if evicted > 0 {
            stats.recordEvicted(evicted)
            logger.debug("evicted least recently hit entries", metadata: ["entries": "\(evicted)"])
        }
        return evicted
    }
}
