// Why Tests/sanitizers/tsan.supp exists. Build and run:
//   swiftc -sanitize=thread -g Tests/sanitizers/mutex_false_positive.swift -o /tmp/m && /tmp/m
// With Swift 6.3.1 on Linux this usually (timing permitting) reports "Swift access race" although every
// access holds the Mutex; with `-D NSLOCK` (the same logic under NSLock) TSan is clean.
import Foundation
import Synchronization

#if NSLOCK
final class Store: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int] = []
    func add(_ x: Int) { lock.withLock { values.append(x) } }
    var count: Int { lock.withLock { values.count } }
}
#else
final class Store: Sendable {
    private let values = Mutex([Int]())
    func add(_ x: Int) { values.withLock { $0.append(x) } }
    var count: Int { values.withLock { $0.count } }
}
#endif

let store = Store()
let done = DispatchSemaphore(value: 0)
Thread { for i in 0..<20_000 { store.add(i) }; done.signal() }.start()
var seen = 0
for _ in 0..<20_000 { seen &+= store.count }
done.wait()
print("count \(store.count)")
