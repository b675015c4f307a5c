import Foundation
import RunEvents
import Testing
@testable import Dashboard

/// Checkpoint paths are shown relative to the working directory (issue 19: the README's
/// screen showed `/work/…/runs/…`, an absolute path from the machine that made it).
@Suite("Checkpoint path display")
struct CheckpointPathDisplayTests {
    private func model(checkpoint path: String) -> DashboardModel {
        var model = TestRuns.multiclass()
        model.apply(.checkpointSaved(CheckpointSaved(path: path, kind: .last, epoch: 2)))
        return model
    }

    @Test func theFiguresPanelShowsACheckpointUnderTheWorkingDirectoryRelativeToIt() {
        let cwd = FileManager.default.currentDirectoryPath
        let rows = FiguresPanel.rows(model(checkpoint: cwd + "/runs/iris/checkpoints/last.safetensors"))
        #expect(rows.last?.value.map(\.text).joined() == "runs/iris/checkpoints/last.safetensors")
        let screen = render(model(checkpoint: cwd + "/runs/iris/checkpoints/last.safetensors"),
                            size: TerminalSize(columns: 120, rows: 40)).text
        #expect(!screen.contains(cwd + "/"))
        #expect(screen.contains("runs/iris"))
    }
}

@Suite("DisplayPath")
struct DisplayPathTests {
    @Test func relativeInsideTheDirectoryOnly() {
        #expect(DisplayPath.relative("/work/x/runs/a/last.safetensors", to: "/work/x") == "runs/a/last.safetensors")
        #expect(DisplayPath.relative("/work/x/runs/a", to: "/work/x/") == "runs/a")
        #expect(DisplayPath.relative("/work/x//runs/./b/../a", to: "/work/x") == "runs/a")
        #expect(DisplayPath.relative("/work/x", to: "/work/x") == ".")
        #expect(DisplayPath.relative("/work/xy/runs", to: "/work/x") == "/work/xy/runs")   // a sibling, not inside
        #expect(DisplayPath.relative("/tmp/runs/a", to: "/work/x") == "/tmp/runs/a")
        #expect(DisplayPath.relative("runs/a", to: "/work/x") == "runs/a")                 // already relative
        #expect(DisplayPath.relative("/a/b", to: "/") == "a/b")
    }

    @Test func fittedKeepsTheStartAndTheFileName() {
        let path = "runs/fashion-mnist-mlp/checkpoints/last.safetensors"
        #expect(DisplayPath.fitted(path, width: 60) == path)
        #expect(DisplayPath.fitted(path, width: 27) == "runs/fash…/last.safetensors")
        #expect(DisplayPath.fitted(path, width: 27).count == 27)
        #expect(DisplayPath.fitted(path, width: 12) == "…safetensors")
        #expect(DisplayPath.fitted(path, width: 1) == "…")
        #expect(DisplayPath.fitted(path, width: 0) == "")
    }

    @Test func theFiguresRowIsFittedToThePanel() {
        var model = TestRuns.multiclass()
        model.apply(.checkpointSaved(CheckpointSaved(path: "/w/runs/fashion-mnist-mlp/checkpoints/last.safetensors", kind: .last, epoch: 2)))
        let rows = FiguresPanel.rows(model, workingDirectory: "/w", pathWidth: 27)
        #expect(rows.last?.value.map(\.text).joined() == "runs/fash…/last.safetensors")
    }
}
