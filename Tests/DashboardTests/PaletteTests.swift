import Testing
import RunEvents
@testable import Dashboard

@Suite("Colors and monochrome")
struct PaletteTests {
    @Test func noColorForcesMonochrome() {
        #expect(Palette.mode(environment: ["NO_COLOR": "1"], terminalHasColors: true) == .monochrome)
        #expect(Palette.mode(environment: ["NO_COLOR": ""], terminalHasColors: true) == .color)
        #expect(Palette.mode(environment: [:], terminalHasColors: false) == .monochrome)
        #expect(Palette.mode(environment: [:], terminalHasColors: true) == .color)
    }

    @Test func monochromeUsesNoColorButKeepsAlarmsVisible() {
        let palette = Palette(mode: .monochrome)
        for role in StyleRole.allCases {
            #expect(palette.appearance(of: Style(role)).foreground == nil)
        }
        let bad = palette.appearance(of: .bad)
        #expect(bad.bold && bad.reverse)
        #expect(palette.appearance(of: .axis).dim)
        #expect(palette.appearance(of: .highlight).reverse)
    }

    @Test func colorRolesAreDistinct() {
        let palette = Palette(mode: .color)
        #expect(palette.appearance(of: .bad).foreground == .red)
        #expect(palette.appearance(of: .good).foreground == .green)
        #expect(palette.appearance(of: .warning).foreground == .yellow)
        #expect(palette.appearance(of: Style(.normal, bold: true)).bold)
    }

    @Test func framesSplitIntoStyledSpans() {
        var frame = Frame(size: TerminalSize(columns: 10, rows: 1))
        frame.put("ab", x: 1, y: 0, style: .bad)
        frame.put("c\u{07}", x: 3, y: 0)
        #expect(frame.spans(row: 0).map(\.text) == [" ", "ab", "c      "])
        #expect(frame.spans(row: 0).map(\.column) == [0, 1, 3])
        #expect(frame.line(0) == " abc      ")
    }
}
