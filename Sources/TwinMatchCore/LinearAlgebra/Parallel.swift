import Foundation

/// `[f(0), f(1), …, f(count − 1)]`, computed on all cores.
public func parallelMap<T>(_ count: Int, _ f: @Sendable (Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    var out = [T?](repeating: nil, count: count)
    out.withUnsafeMutableBufferPointer { buffer in
        // Each slot is written by one worker only.
        nonisolated(unsafe) let slots = buffer
        let parts = min(count, 64)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            for i in stride(from: part, to: count, by: parts) { slots[i] = f(i) }
        }
    }
    return out.map { $0! }
}

/// A value that threads share, read and changed only under its lock.
public final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    public init(_ value: Value) { self.value = value }

    public func withLock<R>(_ body: (inout Value) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}

extension Data {
    /// Appends `value` in little-endian byte order.
    public mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
