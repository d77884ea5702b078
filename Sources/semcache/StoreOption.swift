import ArgumentParser
import Foundation
import Logging
import PostgresStore
import SemanticCache
import Store

/// What `--db` (or `SEMCACHE_DB`) names: a SQLite file, or with `postgres://…` the PostgreSQL
/// database a fleet of sidecars shares (credentials also from the `PG*` variables).
enum StoreOption: CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    init(_ text: String) throws {
        guard PostgresLocation.isURL(text) else {
            self = .sqlite(path: text)
            return
        }
        do {
            self = .postgres(try PostgresLocation(url: text, environment: ProcessInfo.processInfo.environment))
        } catch {
            throw ValidationError("--db: \(error)")
        }
    }

    /// The store for messages: the file, or the URL without its password.
    var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let location): location.description
        }
    }

    /// Points `configuration` at this store; `timeout` bounds what a request waits for PostgreSQL.
    func configure(_ configuration: inout SidecarConfiguration, timeout: Duration = .seconds(2), logger: Logger) {
        switch self {
        case .sqlite(let path):
            configuration.databasePath = path
        case .postgres(let location):
            configuration.storeOpener = { () async throws(StoreError) -> any CacheStoring in
                try await PostgresCacheStore.open(location, timeout: timeout, logger: logger)
            }
        }
    }

    /// Opens the store for an operator command; a SQLite file is opened read-only, so a sidecar
    /// may be running on it.
    func openForReading() async throws -> any CacheStoring {
        switch self {
        case .sqlite(let path):
            guard FileManager.default.fileExists(atPath: path) else { throw CommandFailure("no database at \(path)") }
            do { return try await CacheStore.openReadOnly(path: path) } catch { throw CommandFailure(error.description) }
        case .postgres:
            return try await openForWriting()
        }
    }

    /// Opens (creating or migrating) the store for an operator command that changes it.
    func openForWriting() async throws -> any CacheStoring {
        do {
            switch self {
            case .sqlite(let path): return try await CacheStore.open(path: path)
            case .postgres(let location): return try await PostgresCacheStore.open(location, logger: Logger(label: "semcache"))
            }
        } catch {
            throw CommandFailure(error.description)
        }
    }
}
