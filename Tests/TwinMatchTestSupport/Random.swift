import TwinMatchCore

/// The seeded generator every random test uses, so that a failure names its seed and repeats exactly.
public typealias SeededGenerator = SplitMix64

extension SplitMix64 {
    /// Uniform in [−1, 1), on a 2⁻²³ grid.
    public mutating func uniformFloat() -> Float { Float(next() >> 40) / Float(1 << 24) * 2 - 1 }
    /// Uniform in 0..<n.
    public mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// Random `rows × cols` matrix with values in [-1, 1]; with `levels`, values are quantised to produce ties.
public func randomMatrix(rows: Int, cols: Int, using rng: inout SeededGenerator, levels: Int? = nil) -> FloatMatrix {
    var values: [Float] = []
    values.reserveCapacity(rows * cols)
    for _ in 0..<(rows * cols) {
        var v = Float.random(in: -1...1, using: &rng)
        if let levels { v = (v * Float(levels)).rounded() / Float(levels) }
        values.append(v)
    }
    return FloatMatrix(rows: rows, cols: cols, values: values)
}

/// Random `rows × cols` matrix of small whole numbers from `range`: every score is exact in `Float`, and
/// ties abound.
public func integerMatrix(rows: Int, cols: Int, in range: ClosedRange<Int>, using rng: inout SeededGenerator) -> FloatMatrix {
    let width = range.upperBound - range.lowerBound + 1
    return FloatMatrix(rows: rows, cols: cols, values: (0..<(rows * cols)).map { _ in Float(range.lowerBound + rng.int(width)) })
}
