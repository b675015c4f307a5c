import Testing
import RunEvents
@testable import Dashboard

/// Lines the model cannot use change nothing but the messages panel.
@Suite("Folding event lines")
struct EventFoldingTests {
    let codec = EventCodec()

    @Test func unknownTypesAreSkippedNotFatal() {
        var model = DashboardModel()
        model.apply(codec.parse(#"{"type":"gpu_stats","util":0.9}"#))
        #expect(model == DashboardModel())
    }

    @Test func malformedLinesBecomeWarnings() {
        var model = DashboardModel()
        model.apply(codec.parse("not json"))
        #expect(model.messages.map(\.level) == [.warning])
    }
}
