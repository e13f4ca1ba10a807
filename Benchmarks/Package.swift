// swift-tools-version: 6.1
// Micro-benchmarks of the similarity kernels with ordo-one/package-benchmark, kept out of the main
// package so its allocator-statistics dependency stays here. Run: `swift package benchmark` in this folder.
import PackageDescription

/// The parent package's identity is the name of its folder (a clone or worktree may have any name).
let core = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "TwinMatch").lowercased()

let package = Package(
    name: "TwinMatchBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "Kernel",
            dependencies: [
                .product(name: "TwinMatchCore", package: core),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/Kernel",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
