import Store

extension CachePipeline {
    /// The partitioning to run `store` with, given the configuration's (``SidecarConfiguration/sharedCache``,
    /// ``SidecarConfiguration/followStoredPartitioning``); records it in the store when that changes it.
    ///
    /// - Throws: ``PartitioningMismatch`` when the configuration contradicts the mode of the store's entries.
    static func partitioning(of store: any CacheStoring, for configuration: SidecarConfiguration) async throws -> Partitioning {
        let stored = try await store.setting(Partitioning.settingName).flatMap(Partitioning.init(rawValue:))
        let requested = Partitioning(sharedCache: configuration.sharedCache)
        if stored == nil, configuration.followStoredPartitioning, try await !store.isEmpty() {
            // Filled before the mode was recorded (schema 2): nothing to follow, and the mode is not
            // known well enough to record it; the next `serve` records its own.
            return requested
        }
        let isEmpty = stored == nil || stored == requested || configuration.followStoredPartitioning ? true : try await store.isEmpty()
        switch Partitioning.resolve(stored: stored, requested: requested, follow: configuration.followStoredPartitioning, storeIsEmpty: isEmpty) {
        case .success(let mode):
            if mode != stored { try await store.setSetting(Partitioning.settingName, to: mode.rawValue) }
            return mode
        case .failure(var mismatch):
            mismatch.path = store.location
            throw mismatch
        }
    }
}
