/// How a cache's entries are partitioned between callers. A property of the cache, recorded in its
/// store (setting `partitioning`), so every command that opens the file keys entries the same way:
/// an entry stored under one mode can never be found under the other.
public enum Partitioning: String, Sendable {
    /// Each caller's credential is part of every key (the default).
    case perKey = "per-key"
    /// Callers with different credentials share entries (`--shared-cache`).
    case shared

    /// The store setting that holds the mode.
    public static let settingName = "partitioning"

    public init(sharedCache: Bool) {
        self = sharedCache ? .shared : .perKey
    }

    /// The mode to run with, given the store's recorded mode and the one asked for.
    ///
    /// - Parameters:
    ///   - stored: the store's mode; nil for a new file (or one from before the mode was recorded).
    ///   - requested: the mode of the command's flags.
    ///   - follow: take the store's mode when it differs (`prewarm --db` without `--shared-cache`);
    ///     otherwise a difference is an error, unless the store is empty (then the requested mode wins).
    ///   - storeIsEmpty: nothing would become unreachable by changing the mode.
    static func resolve(stored: Partitioning?, requested: Partitioning, follow: Bool, storeIsEmpty: Bool) -> Result<Partitioning, PartitioningMismatch> {
        guard let stored, stored != requested else { return .success(requested) }
        if follow { return .success(stored) }
        return storeIsEmpty ? .success(requested) : .failure(PartitioningMismatch(stored: stored))
    }
}

/// A command asked for a partitioning that contradicts the one the store's entries were made with.
public struct PartitioningMismatch: Error, CustomStringConvertible, Sendable, Equatable {
    /// The store's mode.
    public let stored: Partitioning
    /// The database file, for the message.
    public var path = ""

    public var description: String {
        switch stored {
        case .shared:
            return "the cache in \(path) is shared between API keys (it was filled with --shared-cache): "
                + "start with --shared-cache (SEMCACHE_SHARED_CACHE=1), or use another --db"
        case .perKey:
            return "the cache in \(path) is partitioned by API key: with --shared-cache none of its entries would be found; "
                + "start without --shared-cache, or use another --db (or empty this one: semcache purge --db \(path) --all)"
        }
    }
}
