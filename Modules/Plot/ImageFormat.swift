/// The image formats a ``FigureRenderer`` writes, chosen by the output file's extension.
public enum ImageFormat: Sendable, Equatable, CaseIterable {
    /// A bitmap, one canvas unit per pixel (cairo image surface).
    case png
    /// Vector graphics, canvas units in points (cairo SVG surface).
    case svg
    /// A one-page PDF, canvas units in points (cairo PDF surface).
    case pdf

    /// The format of `path` by its extension (any case), nil for another extension.
    public init?(path: String) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."),
              let format = Self.allCases.first(where: { $0.fileExtension == name[name.index(after: dot)...].lowercased() })
        else { return nil }
        self = format
    }

    /// The file extension, without its dot.
    public var fileExtension: String {
        switch self {
        case .png: "png"
        case .svg: "svg"
        case .pdf: "pdf"
        }
    }
}

/// Why a figure could not be written: one line naming the file.
public struct PlotError: Error, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): cannot write the figure: \(reason)" }
}
