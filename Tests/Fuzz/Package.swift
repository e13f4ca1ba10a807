// swift-tools-version: 6.1
// libFuzzer targets for the parsers users feed files to, kept out of the main package so that `swift test`
// never builds them. Build and run them with `scripts/fuzz.sh` (see TESTING.md); each target is an
// executable whose entry point is libFuzzer's, built with `-sanitize=fuzzer,address`.
import PackageDescription

/// The parent package's identity is the name of its folder (a clone or worktree may have any name).
let core = String(Context.packageDirectory.split(separator: "/").dropLast(2).last ?? "TwinMatch").lowercased()

/// One parser's target: its `LLVMFuzzerTestOneInput` is the whole program (no `main`).
func fuzzer(_ name: String) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport", .product(name: "TwinMatchCore", package: core)],
        swiftSettings: [.unsafeFlags(["-parse-as-library"])]
    )
}

let package = Package(
    name: "TwinMatchFuzz",
    dependencies: [.package(path: "../..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [.product(name: "TwinMatchCore", package: core)]),
        fuzzer("FuzzProfiles"),
        fuzzer("FuzzPairs"),
        fuzzer("FuzzNPY"),
        fuzzer("FuzzIndex"),
        fuzzer("FuzzModel"),
    ],
    swiftLanguageModes: [.v6]
)
