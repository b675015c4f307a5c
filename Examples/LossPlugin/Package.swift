// swift-tools-version:6.1
import Foundation
import PackageDescription

/// An example Trainboard loss plugin: a dynamic library that registers
/// `log_cosh` through the `trainboard_register_losses` entry point.
///
/// Build:  swift build -c release   (in this folder)
/// Use:    trainboard losses list --plugin .build/release/libLossPlugin.so
///
/// The root package is a path dependency, so its identity is its folder's name.
let root = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().deletingLastPathComponent()

let package = Package(
    name: "LossPlugin",
    products: [.library(name: "LossPlugin", type: .dynamic, targets: ["LossPlugin"])],
    dependencies: [.package(path: root.path)],
    targets: [
        .target(name: "LossPlugin", dependencies: [
            .product(name: "Losses", package: root.lastPathComponent),
            .product(name: "Autograd", package: root.lastPathComponent),
            .product(name: "TensorCore", package: root.lastPathComponent),
        ]),
    ]
)
