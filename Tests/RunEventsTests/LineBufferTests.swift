import Foundation
import Testing
@testable import RunEvents

@Suite("Following a growing file")
struct LineBufferTests {
    @Test func partialLinesWaitForTheirNewline() {
        var buffer = LineBuffer()
        #expect(buffer.append(Array(#"{"type":"pau"#.utf8)) == [])
        #expect(buffer.pendingByteCount == 12)
        #expect(buffer.append(Array("sed\",\"paused\":true}\n{\"a\"".utf8)) == [#"{"type":"paused","paused":true}"#])
        #expect(buffer.append(Array(":1}\n\n".utf8)) == [#"{"a":1}"#, ""])
        #expect(buffer.pendingByteCount == 0)
    }

    @Test func followerReadsOnlyWhatWasAppended() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tb-follow-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("events.jsonl")
        try Data((#"{"type":"paused","paused":true}"# + "\n{\"type\":\"paused\",").utf8).write(to: url)
        let follower = EventFileFollower(url: url)
        #expect(try follower.poll() == [.event(.paused(true))])
        #expect(try follower.poll() == [])
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("\"paused\":false}\n".utf8))
        try handle.close()
        #expect(try follower.poll() == [.event(.paused(false))])
    }
}
