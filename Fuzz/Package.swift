// swift-tools-version: 6.1
// The fuzz targets (libFuzzer) over the core library. A package of its own, so `swift build` and
// `swift test` at the top never build them: only `make fuzz` does, with -sanitize=fuzzer,address and
// -enable-testing (the escapers are internal to TechSurvey).
import PackageDescription

let package = Package(
    name: "techsurvey-fuzz",
    dependencies: [.package(name: "techsurvey", path: "..")],
    targets: [
        .target(name: "CFuzzerDriver"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzerDriver", .product(name: "TechSurvey", package: "techsurvey")]),
        .executableTarget(name: "fuzz-ingest", dependencies: ["CFuzzerDriver", "FuzzSupport", .product(name: "TechSurvey", package: "techsurvey")]),
        .executableTarget(name: "fuzz-csv", dependencies: ["CFuzzerDriver", "FuzzSupport", .product(name: "TechSurvey", package: "techsurvey")]),
        .executableTarget(name: "fuzz-markup", dependencies: ["CFuzzerDriver", "FuzzSupport", .product(name: "TechSurvey", package: "techsurvey")]),
    ]
)
