// swift-tools-version:6.1
import PackageDescription

/// Trainboard: a deep-learning toolkit with a live terminal dashboard.
///
/// Module map (dependencies point one way):
///   TensorCore ← Autograd ← Losses ← Training
///   TensorCore ← Data
///   Dashboard (no ML module)
///   trainboard (the CLI) uses them all.
let package = Package(
    name: "Trainboard",
    products: [
        .library(name: "TensorCore", targets: ["TensorCore"]),
        .library(name: "Autograd", targets: ["Autograd"]),
        .library(name: "Losses", targets: ["Losses"]),
        .library(name: "Data", targets: ["Data"]),
        .library(name: "Training", targets: ["Training"]),
        .library(name: "Dashboard", targets: ["Dashboard"]),
        .executable(name: "trainboard", targets: ["trainboard"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // C libraries from Debian, through pkg-config.
        // OpenBLAS's cblas.h and libopenblas.so sit on Debian's default multiarch paths; its
        // pkg-config file adds -D flags SwiftPM rejects, so it is found without pkg-config
        // (ncursesw likewise).
        .systemLibrary(name: "COpenBLAS", path: "Modules/COpenBLAS",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CZlib", path: "Modules/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CNcurses", path: "Modules/CNcurses",
                       providers: [.apt(["libncurses-dev"])]),

        // Elementwise C loops clang vectorizes where Swift's libm-backed sqrt cannot be.
        .target(name: "CKernels", path: "Modules/CKernels"),
        .target(name: "TensorCore", dependencies: ["COpenBLAS"], path: "Modules/TensorCore"),
        .target(name: "Autograd", dependencies: ["TensorCore"], path: "Modules/Autograd"),
        .target(name: "Losses", dependencies: ["TensorCore", "Autograd"], path: "Modules/Losses"),
        .target(name: "Data", dependencies: ["TensorCore", "CZlib"], path: "Modules/Data"),
        .target(name: "Training",
                dependencies: ["TensorCore", "Autograd", "Losses", "Data", "CKernels",
                               .product(name: "Yams", package: "Yams")],
                path: "Modules/Training"),
        .target(name: "Dashboard", path: "Modules/Dashboard"),

        .executableTarget(
            name: "trainboard",
            dependencies: ["TensorCore", "Autograd", "Losses", "Data", "Training", "Dashboard",
                           "CNcurses", "COpenBLAS",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Apps/trainboard"),

        .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore"], path: "Tests/TensorCoreTests"),
        .testTarget(name: "AutogradTests", dependencies: ["Autograd"], path: "Tests/AutogradTests"),
        .testTarget(name: "LossesTests", dependencies: ["Losses"], path: "Tests/LossesTests",
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "DataTests", dependencies: ["Data"], path: "Tests/DataTests"),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Dashboard"], path: "Tests/TrainingTests"),
        .testTarget(name: "DashboardTests", dependencies: ["Dashboard"], path: "Tests/DashboardTests"),
    ]
)
