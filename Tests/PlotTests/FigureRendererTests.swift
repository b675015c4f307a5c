import Dashboard
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Plot

/// The figure's files are written with cairo and read back: PNG header and size, SVG as XML
/// with one stroked path per series, PDF header; bad paths give a one-line error.
@Suite struct FigureRendererTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("PlotTests-\(UUID().uuidString)").path

    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func twoRuns() -> Figure {
        figure([FigureSeries(name: "lr-0.01/version_0", points: lossCurve()),
                FigureSeries(name: "lr-0.001/version_0", points: lossCurve(scale: 1.4))])
    }

    @Test func writesAPNGOfTheAskedSize() throws {
        let path = "\(directory)/two.png"
        try FigureRenderer().write(twoRuns(), size: FigureSize(width: 640, height: 400), to: path, format: .png)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(bytes.prefix(8).elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        #expect(String(decoding: bytes[12..<16], as: UTF8.self) == "IHDR")
        let bigEndian = { (offset: Int) in bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
        #expect(bigEndian(16) == 640 && bigEndian(20) == 400)
    }

    @Test func writesAnSVGWithOnePathPerSeries() throws {
        let path = "\(directory)/two.svg"
        let runs = twoRuns()
        let layout = try FigureRenderer().write(runs, to: path, format: .svg)
        let parsed = try SVGPaths(url: URL(fileURLWithPath: path))
        #expect(parsed.root == "svg")
        let same = { (a: [CanvasPoint], b: [CanvasPoint]) in
            a.count == b.count && zip(a, b).allSatisfy { abs($0.x - $1.x) < 0.01 && abs($0.y - $1.y) < 0.01 }
        }
        for series in layout.series {
            #expect(parsed.strokedPaths.filter { same($0, series.lines[0]) }.count == 1, "series \(series.name)")
        }
        #expect(parsed.strokedPaths.filter { path in layout.series.contains { same(path, $0.lines[0]) } }.count == runs.series.count)
        #expect(parsed.strokedPaths.count > runs.series.count)   // axes, grid and legend lines are paths too
    }

    @Test func writesAPDF() throws {
        let path = "\(directory)/two.pdf"
        try FigureRenderer().write(twoRuns(), to: path, format: .pdf)
        let head = try Data(contentsOf: URL(fileURLWithPath: path)).prefix(5)
        #expect(String(decoding: head, as: UTF8.self) == "%PDF-")
    }

    @Test(arguments: ImageFormat.allCases)
    func anUnwritablePathIsAOneLineError(format: ImageFormat) {
        let path = "\(directory)/no-such-folder/figure.\(format.fileExtension)"
        #expect {
            try FigureRenderer().write(twoRuns(), to: path, format: format)
        } throws: { error in
            let message = "\(error)"
            return message.hasPrefix(path) && !message.contains("\n")
        }
    }

    @Test func theFormatFollowsTheExtension() {
        #expect(ImageFormat(path: "out/loss.png") == .png)
        #expect(ImageFormat(path: "LOSS.SVG") == .svg)
        #expect(ImageFormat(path: "a.b/loss.pdf") == .pdf)
        #expect(ImageFormat(path: "loss.jpg") == nil)
        #expect(ImageFormat(path: "dir.png/loss") == nil)
        #expect(ImageFormat(path: "png") == nil)
    }
}

/// The stroked, unfilled `<path>`s of an SVG outside its glyph definitions, as vertex lists
/// (`M`/`L` commands only; paths with curves are skipped).
final class SVGPaths: NSObject, XMLParserDelegate {
    private(set) var root: String?
    private(set) var strokedPaths: [[CanvasPoint]] = []
    private var symbolDepth = 0

    init(url: URL) throws {
        super.init()
        guard let parser = XMLParser(contentsOf: url) else { throw CocoaError(.fileReadUnknown) }
        parser.delegate = self
        guard parser.parse() else { throw parser.parserError ?? CocoaError(.fileReadCorruptFile) }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if root == nil { root = name }
        if name == "symbol" { symbolDepth += 1 }
        guard name == "path", symbolDepth == 0, let style = attributes["style"], style.contains("fill:none"),
              let d = attributes["d"], !d.contains("C") else { return }
        let tokens = d.split(separator: " ")
        var points: [CanvasPoint] = [], index = 0
        while index + 2 < tokens.count, ["M", "L"].contains(tokens[index]),
              let x = Double(tokens[index + 1]), let y = Double(tokens[index + 2]) {
            points.append(CanvasPoint(x: x, y: y))
            index += 3
        }
        if !points.isEmpty { strokedPaths.append(points) }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "symbol" { symbolDepth -= 1 }
    }
}
