// swift-tools-version:6.1
import PackageDescription

/// Trainboard: a deep-learning toolkit with a live terminal dashboard.
///
/// Module map (dependencies point one way, downward):
///   TensorCore ← Autograd ← Losses ← NN ← Optim
///   TensorCore ← Data                 Metrics (TensorCore)
///   RunEvents (no dependency) ← Checkpoint (TensorCore, NN) , Dashboard (RunEvents only)
///   Plot (Dashboard's chart points; cairo draws the figures as PNG, SVG or PDF)
///   Distributed (Open MPI through Modules/CMPI; no module of ours)
///   Training (NN, Optim, Losses, Data, Metrics, Checkpoint, RunEvents, Distributed)
///   Config (the only Yams user: YAML → the option structs of the modules above)
///   Run (what `trainboard fit` does: Config + Training + the run files)
///   trainboard (the CLI) parses arguments and chooses the screen.
let package = Package(
    name: "Trainboard",
    products: [
        .library(name: "TensorCore", targets: ["TensorCore"]),
        .library(name: "Autograd", targets: ["Autograd"]),
        .library(name: "Losses", targets: ["Losses"]),
        .library(name: "Data", targets: ["Data"]),
        .library(name: "NN", targets: ["NN"]),
        .library(name: "Optim", targets: ["Optim"]),
        .library(name: "Metrics", targets: ["Metrics"]),
        .library(name: "Checkpoint", targets: ["Checkpoint"]),
        .library(name: "RunEvents", targets: ["RunEvents"]),
        .library(name: "Training", targets: ["Training"]),
        .library(name: "Config", targets: ["Config"]),
        .library(name: "Run", targets: ["Run"]),
        .library(name: "Dashboard", targets: ["Dashboard"]),
        .library(name: "Distributed", targets: ["Distributed"]),
        .library(name: "Plot", targets: ["Plot"]),
        .executable(name: "trainboard", targets: ["trainboard"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
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
        // Open MPI (its handles are macros: Modules/CMPI/shim.h wraps every call).
        .systemLibrary(name: "CMPI", path: "Modules/CMPI", pkgConfig: "ompi-c",
                       providers: [.apt(["libopenmpi-dev"])]),
        .systemLibrary(name: "CCairo", path: "Modules/CCairo", pkgConfig: "cairo",
                       providers: [.apt(["libcairo2-dev"])]),

        // Elementwise C loops clang vectorizes where Swift's libm-backed sqrt cannot be.
        .target(name: "CKernels", path: "Modules/CKernels"),
        .target(name: "TensorCore", dependencies: ["COpenBLAS"], path: "Modules/TensorCore"),
        .target(name: "Autograd", dependencies: ["TensorCore"], path: "Modules/Autograd"),
        .target(name: "Losses", dependencies: ["TensorCore", "Autograd"], path: "Modules/Losses"),
        .target(name: "Data", dependencies: ["TensorCore", "CZlib"], path: "Modules/Data"),
        .target(name: "NN", dependencies: ["TensorCore", "Autograd", "Losses"], path: "Modules/NN"),
        .target(name: "Optim", dependencies: ["TensorCore", "Autograd", "NN", "CKernels"], path: "Modules/Optim"),
        .target(name: "Metrics", dependencies: ["TensorCore"], path: "Modules/Metrics"),
        .target(name: "RunEvents", path: "Modules/RunEvents"),
        .target(name: "Checkpoint", dependencies: ["TensorCore", "NN", "RunEvents"], path: "Modules/Checkpoint"),
        .target(name: "Training",
                dependencies: ["TensorCore", "Autograd", "Losses", "Data", "NN", "Optim", "Metrics", "Checkpoint",
                               "RunEvents", "Distributed"],
                path: "Modules/Training"),
        .target(name: "Config",
                dependencies: ["TensorCore", "Losses", "Data", "NN", "Optim", "Metrics", "RunEvents", "Training",
                               .product(name: "Yams", package: "Yams")],
                path: "Modules/Config"),
        .target(name: "Run",
                dependencies: ["TensorCore", "Autograd", "Losses", "Data", "NN", "Optim", "Metrics", "Checkpoint",
                               "RunEvents", "Training", "Config", "Distributed"],
                path: "Modules/Run"),
        .target(name: "Dashboard", dependencies: ["RunEvents"], path: "Modules/Dashboard"),
        .target(name: "Distributed", dependencies: ["CMPI"], path: "Modules/Distributed"),
        .target(name: "Plot", dependencies: ["Dashboard", "CCairo"], path: "Modules/Plot"),

        .executableTarget(
            name: "trainboard",
            dependencies: ["TensorCore", "Autograd", "Losses", "Data", "NN", "Optim", "Metrics", "Checkpoint",
                           "RunEvents", "Training", "Config", "Run", "Dashboard", "Distributed", "Plot", "CNcurses",
                           "COpenBLAS",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Apps/trainboard"),

        .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore"], path: "Tests/TensorCoreTests"),
        .testTarget(name: "AutogradTests", dependencies: ["Autograd"], path: "Tests/AutogradTests"),
        .testTarget(name: "LossesTests", dependencies: ["Losses"], path: "Tests/LossesTests",
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "DataTests", dependencies: ["Data"], path: "Tests/DataTests"),
        .testTarget(name: "NNTests", dependencies: ["NN"], path: "Tests/NNTests"),
        .testTarget(name: "OptimTests", dependencies: ["Optim"], path: "Tests/OptimTests"),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics"], path: "Tests/MetricsTests"),
        .testTarget(name: "CheckpointTests", dependencies: ["Checkpoint"], path: "Tests/CheckpointTests"),
        .testTarget(name: "RunEventsTests", dependencies: ["RunEvents"], path: "Tests/RunEventsTests"),
        .testTarget(name: "TrainingTests", dependencies: ["Training"], path: "Tests/TrainingTests"),
        .testTarget(name: "ConfigTests", dependencies: ["Config"], path: "Tests/ConfigTests"),
        .testTarget(name: "RunTests", dependencies: ["Run", "Dashboard"], path: "Tests/RunTests"),
        .testTarget(name: "DistributedTests", dependencies: ["Distributed"], path: "Tests/DistributedTests"),
        .testTarget(name: "DashboardTests", dependencies: ["Dashboard", "RunEvents"], path: "Tests/DashboardTests"),
        .testTarget(name: "PlotTests", dependencies: ["Plot", "Dashboard"], path: "Tests/PlotTests"),
    ]
)
