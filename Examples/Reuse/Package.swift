// swift-tools-version:6.1
import PackageDescription

/// Small programs that reuse Trainboard's modules from another package, by
/// path. Each target depends on exactly the products it names: proof that a
/// module stands alone. `make test` builds and runs them all.
let package = Package(
    name: "Reuse",
    dependencies: [.package(name: "Trainboard", path: "../..")],
    targets: [
        // Only TensorCore + Autograd.
        .executableTarget(name: "TensorOnly", dependencies: [
            .product(name: "TensorCore", package: "Trainboard"),
            .product(name: "Autograd", package: "Trainboard"),
        ]),
        // Only Losses (which brings its own TensorCore and Autograd).
        .executableTarget(name: "LossesOnly", dependencies: [.product(name: "Losses", package: "Trainboard")]),
        // Only Data.
        .executableTarget(name: "DataOnly", dependencies: [.product(name: "Data", package: "Trainboard")]),
        // Training, the Lightning way: a TrainingModule.
        .executableTarget(name: "LightningStyle", dependencies: [.product(name: "Training", package: "Trainboard")]),
        // Training, the Ignite way: model + loss + optimizer handed to the Trainer.
        .executableTarget(name: "IgniteStyle", dependencies: [.product(name: "Training", package: "Trainboard")]),
    ]
)
