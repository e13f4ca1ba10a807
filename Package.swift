// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "TwinMatch",
    products: [
        .library(name: "TwinMatchCore", targets: ["TwinMatchCore"]),
        .executable(name: "twinmatch", targets: ["twinmatch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // The server: no configuration-file or full-Foundation extras.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // Generators for the property tests (exact: a seed must draw the same case in every checkout).
        .package(url: "https://github.com/x-sheep/swift-property-based", exact: "2.0.1"),
    ],
    targets: [
        // MARK: - Shim: CBLAS + the few Fortran LAPACK routines we call (Debian's libblas-dev / liblapack-dev).
        .systemLibrary(
            name: "CTwinBLAS",
            path: "Sources/CTwinBLAS",
            providers: [.apt(["libblas-dev", "liblapack-dev", "libopenblas-dev"])]
        ),
        // MARK: - Core library: profiles → features → BLAS similarity → ranking.
        .target(
            name: "TwinMatchCore",
            dependencies: ["CTwinBLAS", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // MARK: - HTTP server: the JSON API, its OpenAPI document and the web page, over the core.
        .target(
            name: "TwinMatchServer",
            dependencies: ["TwinMatchCore", .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "Logging", package: "swift-log")],
            resources: [.copy("Public")]
        ),
        // MARK: - Command-line tool.
        .executableTarget(
            name: "twinmatch",
            dependencies: ["TwinMatchCore", "TwinMatchServer", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // MARK: - Tests.
        // Helpers shared by the test targets (seeded data, plain references, the binary runner, snapshots);
        // a library of no product, so nothing outside the tests links it.
        .target(name: "TwinMatchTestSupport", dependencies: ["TwinMatchCore", .product(name: "PropertyBased", package: "swift-property-based")],
                path: "Tests/TwinMatchTestSupport"),
        .testTarget(name: "TwinMatchCoreTests", dependencies: ["TwinMatchCore", "TwinMatchTestSupport",
                                                               .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "TwinMatchCLITests", dependencies: ["twinmatch", "TwinMatchTestSupport"], exclude: ["Snapshots"]),
        .testTarget(name: "TwinMatchServerTests", dependencies: ["twinmatch", "TwinMatchServer", "TwinMatchTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
