// swift-tools-version:6.1
import PackageDescription

/// libFuzzer targets for the parsers that read untrusted files. A separate
/// package so the main build never sees `-sanitize=fuzzer`; build and run with
/// `make fuzz` (see ../Makefile and README.md here).
///
/// Each target defines `LLVMFuzzerTestOneInput` (so the object also works with
/// any libFuzzer-style driver) and a main.swift that runs libFuzzer's driver on it.

let package = Package(
    name: "TrainboardFuzz",
    dependencies: [.package(name: "Trainboard", path: "..")],
    targets: [
        .target(name: "FuzzDriver"),
        .executableTarget(name: "FuzzIDX", dependencies: ["FuzzDriver", .product(name: "Data", package: "Trainboard")]),
        .executableTarget(name: "FuzzCSV", dependencies: ["FuzzDriver", .product(name: "Data", package: "Trainboard")]),
        .executableTarget(name: "FuzzConfig", dependencies: ["FuzzDriver", .product(name: "Config", package: "Trainboard")]),
        .executableTarget(name: "FuzzSafetensors", dependencies: ["FuzzDriver", .product(name: "Checkpoint", package: "Trainboard")]),
    ]
)
