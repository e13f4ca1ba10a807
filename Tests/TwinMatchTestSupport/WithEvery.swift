import Foundation
import XCTest

/// The labels of the `withEvery` loops a test is inside, and how many of its failures they have named.
private final class LoopTrace {
    weak var test: XCTestCase?
    var labels: [String] = []
    /// The test's failure count when a loop last named its values (failures up to there are accounted for).
    var named = 0
    var thrownNamed = false
    init(test: XCTestCase) { self.test = test }
}

private let traceLock = NSLock()
nonisolated(unsafe) private var traces: [ObjectIdentifier: LoopTrace] = [:]

private func trace(for test: XCTestCase) -> LoopTrace {
    traceLock.lock()
    defer { traceLock.unlock() }
    let key = ObjectIdentifier(test)
    if let t = traces[key], t.test === test { return t }
    traces = traces.filter { $0.value.test != nil }
    let t = LoopTrace(test: test)
    traces[key] = t
    return t
}

extension XCTestCase {
    /// Runs `body` once for every item, under a label: when an iteration records a failure (or throws), one
    /// more failure at the loop names the values of every enclosing `withEvery` loop, such as
    /// `failed with seed: 3, threads: 2`, so a seeded case can be repeated on its own.
    ///
    ///     withEvery("seed", in: 0..<20) { seed in
    ///         var rng = SeededGenerator(seed: UInt64(seed))
    ///         …
    ///     }
    public func withEvery<S: Sequence>(_ label: String, in items: S, file: StaticString = #filePath, line: UInt = #line,
                                       _ body: (S.Element) throws -> Void) rethrows {
        let trace = trace(for: self)
        for item in items {
            trace.labels.append("\(label): \(item)")
            trace.thrownNamed = false
            defer { trace.labels.removeLast() }
            let before = recordedFailures
            do {
                try body(item)
            } catch {
                if !trace.thrownNamed {
                    XCTFail("threw \(error) with \(trace.labels.joined(separator: ", "))", file: file, line: line)
                    trace.thrownNamed = true
                    trace.named = recordedFailures
                }
                throw error
            }
            if recordedFailures > max(before, trace.named) {
                XCTFail("failed with \(trace.labels.joined(separator: ", "))", file: file, line: line)
                trace.named = recordedFailures
            }
        }
    }

    /// The values of the `withEvery` loops the test is in now (for a message of its own).
    public var loopTrace: String { trace(for: self).labels.joined(separator: ", ") }

    private var recordedFailures: Int { testRun?.totalFailureCount ?? 0 }
}
