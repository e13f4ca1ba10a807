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
        if m == 1 {
            // One query (a single recommendation): sgemv streams the candidates once, where sgemm would
            // first copy (pack) all of them.
            a.withBaseAddress { pa in
                b.withBaseAddress { pb in
                    cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(n), Int32(d), 1, pb + bRows.lowerBound * d, Int32(d),
                                pa + aRows.lowerBound * d, 1, 0, tile.pointer, 1)
                }
            }
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

    /// Scores `query` against the `rows × query.count` row-major matrix at `offset` of `packed` with one
    /// `cblas_sgemv`; into `tile`, whose view has one row, column `j` the score of row `j`.
    public static func scorePacked(_ query: [Float], _ packed: [Float], offset: Int, rows: Int, into tile: TileBuffer) -> TileView {
        let width = query.count
        precondition(offset >= 0 && offset + rows * width <= packed.count && rows <= tile.colCapacity, "packed block out of range")
        let view = TileView(base: tile.pointer, rows: 1, cols: rows)
        guard rows > 0 else { return view }
        if width == 0 {
            tile.pointer.update(repeating: 0, count: rows)
            return view
        }
        packed.withUnsafeBufferPointer { pm in
            query.withUnsafeBufferPointer { pq in
                cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(rows), Int32(width), 1, pm.baseAddress! + offset, Int32(width),
                            pq.baseAddress!, 1, 0, tile.pointer, 1)
            }
        }
        return view
    }

    /// `query · packed[offset..<offset + query.count]` (`cblas_sdot`).
    public static func dot(_ query: [Float], _ packed: [Float], offset: Int) -> Float {
        precondition(offset >= 0 && offset + query.count <= packed.count, "packed row out of range")
        guard !query.isEmpty else { return 0 }
        return packed.withUnsafeBufferPointer { pm in
            query.withUnsafeBufferPointer { pq in cblas_sdot(Int32(query.count), pq.baseAddress!, 1, pm.baseAddress! + offset, 1) }
        }
    }

    /// `y += alpha · m[row]` (`cblas_saxpy`), `y` of `m.cols` values.
    public static func add(_ alpha: Float, times row: Int, of m: FloatMatrix, to y: inout [Float]) {
        precondition(y.count == m.cols && row >= 0 && row < m.rows, "dimension mismatch: \(y.count) vs \(m.cols)")
        guard m.cols > 0 else { return }
        m.withBaseAddress { pm in
            y.withUnsafeMutableBufferPointer { py in
                cblas_saxpy(Int32(m.cols), alpha, pm + row * m.cols, 1, py.baseAddress!, 1)
            }
        }
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

/// A fixed-size buffer of plain values for hot loops outside this folder (heaps, thresholds): element
/// access through a `let` pointer costs no copy-on-write or exclusivity checks. Owned by one worker;
/// not thread-safe. Indices are not checked in release builds.
public final class FlatBuffer<Element>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Element>
    public let count: Int

    /// `count` copies of `value` (plus 16 spare slots, so vector loads at the end stay inside).
    public init(count: Int, value: Element) {
        self.count = max(count, 0)
        pointer = .allocate(capacity: self.count + 16)
        pointer.initialize(repeating: value, count: self.count + 16)
    }
    deinit {
        pointer.deinitialize(count: count + 16)
        pointer.deallocate()
    }

    @inline(__always) public subscript(i: Int) -> Element {
        get { pointer[i] }
        set { pointer[i] = newValue }
    }

    /// The values as an array.
    public var array: [Element] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}

/// One float per row of a matrix: the current k-th best score of every row, read by tile scans with
/// vector loads.
public typealias ThresholdBuffer = FlatBuffer<Float>

extension TileView {
    /// Calls `visit(j, score)` for the columns `j` in `columns` of row `i` whose score may enter a top-k:
    /// at least `thresholds[rowIndex]` (the row's own k-th best) or, when `columnOffset` is given, at
    /// least `thresholds[columnOffset + j]` (the k-th best of the row that column `j` stands for).
    ///
    /// Sixteen scores are tested per step with vector compares; only the few that pass reach `visit`,
    /// which must re-check the thresholds because it may raise them. `visit` may change `thresholds`.
    @inline(__always)
    public func scanRow(_ i: Int, columns: Range<Int>, thresholds: ThresholdBuffer, rowIndex: Int, columnOffset: Int?,
                        _ visit: (Int, Float) -> Void) {
        precondition(i >= 0 && i < rows && columns.lowerBound >= 0 && columns.upperBound <= cols)
        let row = UnsafeRawPointer(base + i &* cols)
        let t = thresholds.pointer
        var j = columns.lowerBound
        let end = columns.upperBound
        if let columnOffset {
            precondition(columnOffset + end <= thresholds.count)
            let tc = UnsafeRawPointer(t + columnOffset)
            while j &+ 16 <= end {
                let v = row.loadUnaligned(fromByteOffset: j &* 4, as: SIMD16<Float>.self)
                let c = tc.loadUnaligned(fromByteOffset: j &* 4, as: SIMD16<Float>.self)
                let hit = (v .>= SIMD16<Float>(repeating: t[rowIndex])) .| (v .>= c)
                if any(hit) {
                    for l in 0..<16 where v[l] >= t[rowIndex] || v[l] >= t[columnOffset &+ j &+ l] { visit(j &+ l, v[l]) }
                }
                j &+= 16
            }
            while j < end {
                let s = base[i &* cols &+ j]
                if s >= t[rowIndex] || s >= t[columnOffset &+ j] { visit(j, s) }
                j &+= 1
            }
        } else {
            while j &+ 16 <= end {
                let v = row.loadUnaligned(fromByteOffset: j &* 4, as: SIMD16<Float>.self)
                let hit = v .>= SIMD16<Float>(repeating: t[rowIndex])
                if any(hit) {
                    for l in 0..<16 where v[l] >= t[rowIndex] { visit(j &+ l, v[l]) }
                }
                j &+= 16
            }
            while j < end {
                let s = base[i &* cols &+ j]
                if s >= t[rowIndex] { visit(j, s) }
                j &+= 1
            }
        }
    }
}
