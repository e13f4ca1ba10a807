import Foundation

/// `[f(0), f(1), …, f(count − 1)]`, computed on all cores (f must be safe to call concurrently).
public func parallelMap<T>(_ count: Int, _ f: (Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    var out = [T?](repeating: nil, count: count)
    out.withUnsafeMutableBufferPointer { buffer in
        let slots = buffer
        let parts = min(count, 64)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            for i in stride(from: part, to: count, by: parts) { slots[i] = f(i) }
        }
    }
    return out.map { $0! }
}

extension Data {
    /// Appends `value` in little-endian byte order.
    public mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
