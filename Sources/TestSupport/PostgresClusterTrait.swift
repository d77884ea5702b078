import Testing

/// Runs a suite (or test) inside a private PostgreSQL cluster, reachable as
/// ``PostgresTestCluster/current`` from its tests; the cluster is stopped when the suite ends,
/// passed or failed.
public struct PostgresClusterTrait: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { false }

    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        try await PostgresTestCluster.withCluster { cluster in
            try await PostgresTestCluster.$current.withValue(cluster) { try await function() }
        }
    }
}

extension Trait where Self == PostgresClusterTrait {
    /// A private PostgreSQL cluster around the suite or test.
    public static var postgresCluster: PostgresClusterTrait { PostgresClusterTrait() }
}

extension PostgresTestCluster {
    /// The cluster of the enclosing ``PostgresClusterTrait``.
    @TaskLocal public static var current: PostgresTestCluster?

    /// The enclosing suite's cluster, or an error saying the suite lacks `.postgresCluster`.
    public static func required() throws -> PostgresTestCluster {
        guard let current else { throw ClusterError("this test needs the .postgresCluster trait on its suite") }
        return current
    }
}
