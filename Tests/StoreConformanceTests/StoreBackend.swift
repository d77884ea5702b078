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
            return try await Self.openPostgres(try PostgresLocation(url: try PostgresTestCluster.required().freshDatabaseURL(), environment: [:]))
        }
    }

    /// Opens `location` with generous timeouts: these tests check results, on a machine that the
    /// rest of the suite keeps busy.
    static func openPostgres(_ location: PostgresLocation) async throws -> PostgresCacheStore {
        try await PostgresCacheStore.open(
            location, connectTimeout: .seconds(60), timeout: .seconds(30), logger: Logger(label: "semcache.test.postgres"))
    }
}
