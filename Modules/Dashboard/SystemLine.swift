/// The system line: the process's CPU % and resident memory (``SystemSample``), right-aligned
/// on a row of the header of both views.
public enum SystemLine {
    /// Draws `sample` at the right end of the one-row `rect` and returns the part of `rect` left
    /// of it (all of `rect` when there is no sample).
    public static func draw(_ sample: SystemSample?, into frame: inout Frame, rect: Rect) -> Rect {
        guard let sample else { return rect }
        let text = " \(sample.text) "
        let (right, left) = rect.splitRight(min(text.count, rect.width / 2))
        frame.put(text, x: right.x, y: right.y, style: .axis, clip: right)
        return left
    }
}
