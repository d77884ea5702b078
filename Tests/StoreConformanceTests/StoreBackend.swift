import Store
import Testing
import TestSupport

/// The store implementations the conformance suite runs against.
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible {
    case sqlite

    var testDescription: String { rawValue }

    /// A new, empty store of this backend.
    func open() async throws -> any CacheStoring {
        switch self {
        case .sqlite: try await CacheStore.open(path: StoreFixtures.temporaryPath())
        }
    }
}
