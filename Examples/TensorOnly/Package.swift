// swift-tools-version:6.1
import PackageDescription

/// Reuses only TensorCore and Autograd from Trainboard, by path: proof that a
/// module stands alone.
let package = Package(
    name: "TensorOnly",
    dependencies: [.package(name: "Trainboard", path: "../..")],
    targets: [
        .executableTarget(name: "TensorOnly", dependencies: [
            .product(name: "TensorCore", package: "Trainboard"),
            .product(name: "Autograd", package: "Trainboard"),
        ]),
    ]
)
