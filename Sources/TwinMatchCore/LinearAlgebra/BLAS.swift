import CTwinBLAS

/// A reusable score tile: one worker's buffer for `cblas_sgemm` output, `rowCapacity × colCapacity` floats.
public final class TileBuffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    public let rowCapacity: Int
    public let colCapacity: Int

    public init(rows: Int, cols: Int) {
        rowCapacity = max(rows, 1)
        colCapacity = max(cols, 1)
        pointer = .allocate(capacity: rowCapacity * colCapacity)
        pointer.initialize(repeating: 0, count: rowCapacity * colCapacity)
    }
    deinit { pointer.deallocate() }
}

/// A read/write view of the scores in a tile: `rows × cols`, row `i` is query `i`, column `j` candidate `j`.
public struct TileView {
    let base: UnsafeMutablePointer<Float>
    public let rows: Int
    public let cols: Int

    @inline(__always) public subscript(i: Int, j: Int) -> Float {
        get { base[i * cols + j] }
        nonmutating set { base[i * cols + j] = newValue }
    }

    /// Adds `bias[j]` to every score of column `j` (a candidate-only term).
    public func addColumnBias(_ bias: [Float], from start: Int) {
        precondition(start >= 0 && start + cols <= bias.count)
        for i in 0..<rows {
            let row = base + i * cols
            for j in 0..<cols { row[j] += bias[start + j] }
        }
    }

    /// The largest score of row `i`.
    @inline(__always) public func rowMax(_ i: Int) -> Float {
        let row = base + i * cols
        var m = -Float.infinity
        for j in 0..<cols where row[j] > m { m = row[j] }
        return m
    }
}

/// The BLAS operations the engine needs.
public enum BLAS {
    /// Scores `A[aRows] · B[bRows]ᵀ` into `tile` with one `cblas_sgemm` and returns the filled view
    /// (`aRows.count × bRows.count`, row-major).
    public static func scoreTile(_ a: FloatMatrix, rows aRows: Range<Int>, _ b: FloatMatrix, rows bRows: Range<Int>, into tile: TileBuffer) -> TileView {
        precondition(a.cols == b.cols, "dimension mismatch: \(a.cols) vs \(b.cols)")
        precondition(aRows.lowerBound >= 0 && aRows.upperBound <= a.rows && bRows.lowerBound >= 0 && bRows.upperBound <= b.rows)
        precondition(aRows.count <= tile.rowCapacity && bRows.count <= tile.colCapacity, "tile too small")
        let m = aRows.count, n = bRows.count, d = a.cols
        let view = TileView(base: tile.pointer, rows: m, cols: n)
        guard m > 0, n > 0 else { return view }
        if d == 0 {
            tile.pointer.update(repeating: 0, count: m * n)
            return view
        }
        a.withBaseAddress { pa in
            b.withBaseAddress { pb in
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(d),
                            1, pa + aRows.lowerBound * d, Int32(d), pb + bRows.lowerBound * d, Int32(d),
                            0, tile.pointer, Int32(n))
            }
        }
        return view
    }

    /// `A · W` for a small square `W` (`d × d`, row-major): maps stored vectors to query vectors.
    public static func multiply(_ a: FloatMatrix, by w: [Float]) -> FloatMatrix {
        let d = a.cols
        precondition(w.count == d * d)
        guard a.rows > 0, d > 0 else { return FloatMatrix(rows: a.rows, cols: d) }
        var out = [Float](repeating: 0, count: a.rows * d)
        a.withBaseAddress { pa in
            w.withUnsafeBufferPointer { pw in
                out.withUnsafeMutableBufferPointer { po in
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(a.rows), Int32(d), Int32(d),
                                1, pa, Int32(d), pw.baseAddress!, Int32(d), 0, po.baseAddress!, Int32(d))
                }
            }
        }
        return FloatMatrix(rows: a.rows, cols: d, values: out)
    }

    /// The number of threads OpenBLAS uses (1 for a BLAS without threads).
    public static var threads: Int {
        get { Int(twinmatch_openblas_threads()) }
        set { twinmatch_openblas_set_threads(Int32(max(1, newValue))) }
    }

    /// Runs `body` with OpenBLAS limited to `count` threads, then restores the previous setting.
    public static func withThreads<R>(_ count: Int, _ body: () throws -> R) rethrows -> R {
        let before = threads
        threads = count
        defer { threads = before }
        return try body()
    }
}
