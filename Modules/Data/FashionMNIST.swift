/// Fashion-MNIST (Zalando): 28×28 grey images of 10 clothing classes, 60000
/// for training and 10000 for testing, in gzip'd IDX files. The default data
/// set for images; Debian's `dataset-fashion-mnist` installs it in
/// `defaultDirectory`.
public enum FashionMNIST {
    /// Where Debian's `dataset-fashion-mnist` installs the files.
    public static let defaultDirectory = "/usr/share/datasets/fashion-mnist"

    /// The class names, by label.
    public static let classNames = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

    /// The training (60000) or test (10000) part.
    public enum Split: String, Sendable, CaseIterable {
        case train, test

        var filePrefix: String { self == .train ? "train" : "t10k" }
    }

    /// The image and label file paths of `split` in `directory`.
    public static func files(_ split: Split, in directory: String = defaultDirectory) -> (images: String, labels: String) {
        let dir = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        return ("\(dir)/\(split.filePrefix)-images-idx3-ubyte.gz", "\(dir)/\(split.filePrefix)-labels-idx1-ubyte.gz")
    }

    /// Loads `split` as a byte-image data set with sample shape `[28, 28]` and 10 classes.
    public static func load(_ split: Split, from directory: String = defaultDirectory) throws(DataError) -> TensorDataset {
        let (images, labels) = files(split, in: directory)
        var set = try TensorDataset.images(imageFile: images, labelFile: labels)
        set.classNames = classNames
        return set
    }
}
