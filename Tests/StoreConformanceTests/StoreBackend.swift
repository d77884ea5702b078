import Logging
import PostgresStore
import Store
import Testing
import TestSupport

/// The store implementations the conformance suite runs against.
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// A new, empty store of this backend (PostgreSQL: a fresh database in the suite's cluster).
    func open() async throws -> any CacheStoring {
        switch self {
        case .sqlite:
            return try await CacheStore.open(path: StoreFixtures.temporaryPath())
        case .postgres:
            let url = try PostgresTestCluster.required().freshDatabaseURL()
            let location = try PostgresLocation(url: url, environment: [:])
            // A generous timeout: these tests check results, on a machine other tests keep busy.
            return try await PostgresCacheStore.open(location, timeout: .seconds(30), logger: Logger(label: "semcache.test.postgres"))
        }
    }
}
