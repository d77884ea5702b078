// swift-tools-version:6.0
import PackageDescription

/// Layers, bottom to top (arrows only point down):
/// C modules → Upstream / Store / VectorIndex → Embedding → SemanticCache → SemanticCacheServer → semcache.
let package = Package(
    name: "semcache",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "semcache", targets: ["semcache"]),
        .executable(name: "semcache-mock-upstream", targets: ["semcache-mock-upstream"]),
        .library(name: "SemanticCacheServer", targets: ["SemanticCacheServer"]),
        .library(name: "MockUpstream", targets: ["MockUpstream"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // C system libraries: a module map and a shim header each, imported only by the layer that wraps them.
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", providers: [.apt(["libblas-dev"])]),

        .target(name: "Upstream", dependencies: ["CCurl"]),
        .target(name: "Store", dependencies: ["CSQLite"]),
        .target(
            name: "PostgresStore",
            dependencies: [
                "Store",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "VectorIndex", dependencies: ["CBLAS", "CKernels"]),
        .target(name: "CKernels"),
        .target(name: "Embedding", dependencies: ["CBLAS", "CKernels"]),
        .target(
            name: "SemanticCache",
            dependencies: [
                "Upstream", "Store", "VectorIndex", "Embedding",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "SemanticCacheServer",
            dependencies: [
                "SemanticCache",
                "Store",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "MockUpstream",
            dependencies: [
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "semcache",
            dependencies: [
                "SemanticCacheServer",
                "Store",
                "PostgresStore",
                "Embedding",
                "Upstream",
                "SemanticCache",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "semcache-bench-embed", dependencies: ["Embedding"]),
        .executableTarget(
            name: "semcache-mock-upstream",
            dependencies: ["MockUpstream", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        .executableTarget(name: "semcache-bench-vector", dependencies: ["VectorIndex", "CSQLite"]),
        .executableTarget(name: "semcache-bench-http"),
        .executableTarget(
            name: "semcache-quality",
            dependencies: [
                "SemanticCache", "Embedding",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .testTarget(name: "UpstreamTests", dependencies: ["Upstream", "MockUpstream"]),
        // Helpers shared by the test targets (fixtures, a private PostgreSQL cluster).
        .target(name: "TestSupport", dependencies: ["Store"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "TestSupport"]),
        .testTarget(
            name: "PostgresStoreTests", dependencies: ["PostgresStore", "Store", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "StoreConformanceTests",
            dependencies: ["Store", "PostgresStore", "TestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "VectorIndexTests", dependencies: ["VectorIndex", "CKernels"]),
        .testTarget(name: "EmbeddingTests", dependencies: ["Embedding", "CKernels"]),
        .testTarget(name: "SemanticCacheTests", dependencies: ["SemanticCache", "Embedding"]),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "SemanticCacheServer", "MockUpstream", "Upstream", "Store", "PostgresStore", "Embedding", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)
