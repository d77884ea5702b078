import Store

/// Keeping the in-memory indexes a replica of a store that other sidecars write to (a fleet on
/// one PostgreSQL): a task follows the store's change feed and applies what other sidecars stored
/// and deleted. Hits never wait for it: they read the indexes as they are.
extension CachePipeline {
    /// How often the replica looks for changes without a notification.
    static let replicaPollInterval: Duration = .seconds(1)

    /// Follows `feed` from `cursor` (the horizon read before the start-up scan) until shutdown.
    func startFollowingChanges(_ feed: any CacheChangeFeed, from cursor: Int64) {
        let wakeUps = feed.wakeUps(pollInterval: Self.replicaPollInterval)
        let task = Task { [weak self] in
            var cursor = cursor
            for await wakeUp in wakeUps {
                guard let self else { return }
                cursor = await self.catchUp(feed, from: cursor, full: wakeUp == .reconnected)
            }
        }
        replicaFollower.withLock { $0 = task }
    }

    /// Applies the changes after `cursor` and returns the new cursor (the same one when the store
    /// cannot be read: the next wake-up tries again). A full catch-up also forgets entries the
    /// store no longer has, for deletions whose records were missed.
    func catchUp(_ feed: any CacheChangeFeed, from cursor: Int64, full: Bool) async -> Int64 {
        do {
            // Held before the horizon, these were all committed before it: any the store lacks now is gone.
            let held = full ? memory.ids : []
            let horizon = try await feed.changeHorizon()
            if full {
                let stored = Set(try await feed.allEntryIDs())
                memory.forget(ids: held.filter { !stored.contains($0) })
            }
            let changes = try await feed.changes(after: cursor, upTo: horizon)
            memory.forget(ids: changes.deleted)
            memory.replicated(changes.upserted)
            logger.debug("caught up with the change feed", metadata: [
                "cursor": "\(horizon)", "stored": "\(changes.upserted.count)", "deleted": "\(changes.deleted.count)", "full": "\(full)",
            ])
            return horizon
        } catch {
            storeError(error, while: "following the change feed")
            return cursor
        }
    }
}
