import Store

/// The store as the pipeline sees it: open, or not (yet) with the reason.
enum StoreSlot: Sendable {
    case open(any CacheStoring)
    case unavailable(String)

    var store: (any CacheStoring)? {
        if case .open(let store) = self { store } else { nil }
    }

    var failure: String? {
        if case .unavailable(let reason) = self { reason } else { nil }
    }
}

extension CachePipeline {
    /// Waits between attempts to open a store that was not available at the start: quick at
    /// first (a database that is restarting), then every 30 s.
    static let storeRetryDelays: [Duration] = [.seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30)]

    /// Keeps trying to open the store in the background until it opens, then loads its index and
    /// starts caching, as a start with the store would have. Meanwhile every cacheable request is
    /// forwarded uncached (bypass `store-unavailable`). A store whose partitioning contradicts the
    /// configuration is not used: the reason stays in `/_semcache/health` and nothing is retried.
    func keepOpeningStore() {
        let task = Task { [self] in
            for attempt in 0... {
                let delay = Self.storeRetryDelays[min(attempt, Self.storeRetryDelays.count - 1)]
                do { try await Task.sleep(for: delay) } catch { return }
                switch await openStoreOnce() {
                case .opened(let store):
                    adopt(store)
                    return
                case .failed(let reason):
                    storeSlot.withLock { $0 = .unavailable(reason) }
                    stats.recordError(.store)
                case .refused(let reason):
                    storeSlot.withLock { $0 = .unavailable(reason) }
                    logger.error("cache store opened but not used; forwarding every request", metadata: ["cause": "\(reason)"])
                    return
                }
            }
        }
        storeReconnect.withLock { $0 = task }
    }

    private enum OpenAttempt {
        case opened(any CacheStoring)
        case failed(String)
        case refused(String)
    }

    private func openStoreOnce() async -> OpenAttempt {
        do {
            let store = try await configuration.openStore()
            let mode = try await Self.partitioning(of: store, for: configuration)
            guard mode == Partitioning(sharedCache: configuration.sharedCache) else {
                return .refused("the store's entries are \(mode.rawValue), this sidecar's cache is not")
            }
            return .opened(store)
        } catch let mismatch as PartitioningMismatch {
            return .refused("\(mismatch)")
        } catch {
            return .failed("\(error)")
        }
    }

    /// Starts caching with `store`, opened after the start: its index loads in the background first.
    private func adopt(_ store: any CacheStoring) {
        logger.info("cache store opened; loading its index, then caching", metadata: ["store": "\(store.location)"])
        stats.attach(store)
        loadIndexInBackground(from: store) { self.storeSlot.withLock { $0 = .open(store) } }
    }

    /// Stops trying to open the store (at shutdown), waiting for an attempt under way.
    func stopOpeningStore() async {
        let task = storeReconnect.withLock { $0 }
        task?.cancel()
        await task?.value
    }
}
