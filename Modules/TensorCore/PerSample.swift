/// A batch's samples split over the cores: consecutive ranges of samples, one per
/// core, each core walking its range in order. For kernels whose samples are
/// independent (convolution, pooling); allocates nothing.
enum PerSample {
    /// One sample's work: `(arguments, sample, part, isFirstOfItsPart)`; `part` says
    /// which core (for per-core scratch and partial sums).
    typealias Body = @convention(c) (UnsafeRawPointer, Int, Int, Bool) -> Void

    /// Calls `body` for every sample in `0..<samples`, handing it a pointer to
    /// `arguments` (read them back with `arguments(_:at:)`); returns how many parts (cores) ran.
    @discardableResult
    static func run<Arguments>(samples: Int, with arguments: inout Arguments, _ body: Body) -> Int {
        withUnsafePointer(to: &arguments) { run(samples: samples, arguments: UnsafeRawPointer($0), body) }
    }

    /// The arguments `run(samples:with:_:)` handed a body, as `type`.
    @inline(__always)
    static func arguments<Arguments>(_ type: Arguments.Type, at context: UnsafeRawPointer) -> Arguments {
        context.assumingMemoryBound(to: type).pointee
    }

    private static func run(samples: Int, arguments: UnsafeRawPointer, _ body: Body) -> Int {
        var task = Task(samples: samples, arguments: arguments, body: body)
        let parts = Swift.max(1, Swift.min(Parallel.threads, samples))
        withUnsafePointer(to: &task) { pointer in
            Parallel.run(parts: parts, context: UnsafeRawPointer(pointer)) { context, part, parts in
                let task = context.assumingMemoryBound(to: Task.self).pointee
                let range = Parallel.range(part, of: parts, count: task.samples)
                for s in range { task.body(task.arguments, s, part, s == range.lowerBound) }
            }
        }
        return parts
    }

    private struct Task {
        var samples: Int
        var arguments: UnsafeRawPointer
        var body: Body
    }
}
