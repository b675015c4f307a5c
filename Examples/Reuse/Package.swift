// swift-tools-version:6.1
import PackageDescription

/// Small programs that reuse Trainboard's modules from another package, by
/// path. Each target depends on exactly the products it imports: proof that a
/// module stands alone. None reads YAML: everything is built in Swift.
/// `make examples` builds and runs them all.
let package = Package(
    name: "Reuse",
    dependencies: [.package(name: "Trainboard", path: "../..")],
    targets: [
        // Only TensorCore + Autograd.
        .executableTarget(name: "TensorOnly", dependencies: products("TensorCore", "Autograd")),
        // Only Losses (which brings its own TensorCore and Autograd).
        .executableTarget(name: "LossesOnly", dependencies: products("Losses")),
        // Only Data.
        .executableTarget(name: "DataOnly", dependencies: products("Data")),
        // A hand-written loop: NN + Optim + Losses, no Trainer, no Data.
        .executableTarget(name: "HandwrittenLoop", dependencies: products("TensorCore", "Autograd", "Losses", "NN", "Optim")),
        // Training, the Lightning way: a TrainingModule.
        .executableTarget(name: "LightningStyle",
                          dependencies: products("TensorCore", "Autograd", "Losses", "Data", "NN", "Optim", "Training")),
        // Training, the Ignite way: model + loss + optimizer handed to the Trainer, with handlers.
        .executableTarget(name: "IgniteStyle",
                          dependencies: products("TensorCore", "Losses", "Data", "NN", "Optim", "Checkpoint", "RunEvents",
                                                 "Training")),
    ]
)

/// Trainboard products by name.
func products(_ names: String...) -> [Target.Dependency] {
    names.map { .product(name: $0, package: "Trainboard") }
}
