// swift-tools-version: 6.1
import PackageDescription

/// The stages' executables, one folder each under Sources/.
let executables = ["techsurvey-ingest", "techsurvey-aggregate", "techsurvey-report", "techsurvey-trace", "techsurvey-stage"]

let package = Package(
    name: "techsurvey",
    platforms: [.macOS(.v13)],
    products: executables.map { .executable(name: $0, targets: [$0]) } + [
        .library(name: "TechSurvey", targets: ["TechSurvey"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // report.docx gets each run's time put into pandoc's kept conversion in process (a Python start
        // and zipfile were a third of a report run on a cache hit).
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // libcsv ships no pkg-config file: the module map links it by name.
        .systemLibrary(
            name: "CLibCSV",
            providers: [.apt(["libcsv-dev"])]
        ),
        // SHA-256 of every input file, from OpenSSL: ten times faster than portable code where the CPU
        // has SHA instructions, and fingerprinting must not slow a 1 GB ingest down.
        .systemLibrary(
            name: "CCrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        // libxlsxwriter writes report.xlsx (SPEC §4.2); imported by the core library only.
        .systemLibrary(
            name: "CXLSXWriter",
            providers: [.apt(["libxlsxwriter-dev"])]
        ),
        // glibc's mallopt, so ingest can keep freed blocks for reuse, and the prefetch hint.
        .systemLibrary(name: "CMemory"),
        .target(
            name: "TechSurvey",
            dependencies: ["CLibCSV", "CCrypto", "CMemory", "CXLSXWriter", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            // The parsing loop touches class state per field; run-time exclusivity checks on each access
            // cost more than libcsv's own work. Debug builds (and so the tests) keep the checks.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        // What the executables share of argument handling: one stderr line for every failure.
        .target(
            name: "TechSurveyCommand",
            dependencies: ["TechSurvey", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(
            name: "TechSurveyTests",
            // The end-to-end tests run the real executables, so `swift test` builds them first.
            dependencies: ["TechSurvey"] + executables.map { .target(name: $0) }
        ),
    ] + executables.map { name in
        .executableTarget(
            name: name,
            dependencies: ["TechSurvey", "TechSurveyCommand", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        )
    }
)
