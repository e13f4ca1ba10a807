import CTwinBLAS

/// Double-precision BLAS products on row-major matrices held in plain arrays: what the regressions need
/// (`X·w`, `Xᵀ·v` and weighted Gram matrices `Xᵀ S X`).
public enum DenseBLAS {
    /// Rows scaled and copied per `dsyrk` call in `weightedGram`: a few MB, whatever the matrix.
    static let blockRows = 8192

    /// `X · w (+ add)` for `X` `rows × columns` (`cblas_dgemv`); `add` is empty or has `rows` values.
    public static func times(_ x: [Double], rows: Int, columns d: Int, _ w: [Double], adding add: [Double] = []) -> [Double] {
        precondition(x.count == rows * d && w.count == d && (add.isEmpty || add.count == rows))
        return gemv(x, rows: rows, columns: d, transposed: false, w, into: add.isEmpty ? [Double](repeating: 0, count: rows) : add)
    }

    /// `Xᵀ · v` for `X` `rows × columns` (`cblas_dgemv`).
    public static func transposeTimes(_ x: [Double], rows: Int, columns d: Int, _ v: [Double]) -> [Double] {
        precondition(x.count == rows * d && v.count == rows)
        return gemv(x, rows: rows, columns: d, transposed: true, v, into: [Double](repeating: 0, count: d))
    }

    /// `out + X · v`, or `out + Xᵀ · v` when `transposed`.
    private static func gemv(_ x: [Double], rows: Int, columns d: Int, transposed: Bool, _ v: [Double], into out: [Double]) -> [Double] {
        var out = out
        guard rows > 0, d > 0 else { return out }
        x.withUnsafeBufferPointer { px in
            v.withUnsafeBufferPointer { pv in
                out.withUnsafeMutableBufferPointer { po in
                    cblas_dgemv(CblasRowMajor, transposed ? CblasTrans : CblasNoTrans, Int32(rows), Int32(d), 1, px.baseAddress,
                                Int32(d), pv.baseAddress, 1, 1, po.baseAddress, 1)
                }
            }
        }
        return out
    }

    /// `Σ_r s_r · x̃_r x̃_rᵀ` as a full symmetric `p × p` matrix, `x̃_r` row `r` of `X` (`rows × columns`)
    /// followed by a 1 when `intercept` (p = columns + 1, else columns). The weights must not be negative:
    /// rows are scaled by √s_r in blocks, and each block is one `cblas_dsyrk`.
    public static func weightedGram(_ x: [Double], rows: Int, columns d: Int, weights s: [Double], intercept: Bool = false) -> [Double] {
        precondition(x.count == rows * d && s.count == rows)
        let p = d + (intercept ? 1 : 0)
        var gram = [Double](repeating: 0, count: p * p)
        guard rows > 0, p > 0 else { return gram }
        var block = [Double](repeating: 0, count: min(rows, blockRows) * p)
        x.withUnsafeBufferPointer { px in
            block.withUnsafeMutableBufferPointer { pb in
                gram.withUnsafeMutableBufferPointer { pg in
                    for start in stride(from: 0, to: rows, by: blockRows) {
                        let count = min(blockRows, rows - start)
                        for r in 0..<count {
                            let scale = max(0, s[start + r]).squareRoot()
                            let from = (start + r) * d, to = r * p
                            for j in 0..<d { pb[to + j] = scale * px[from + j] }
                            if intercept { pb[to + d] = scale }
                        }
                        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(p), Int32(count), 1, pb.baseAddress, Int32(p),
                                    1, pg.baseAddress, Int32(p))
                    }
                }
            }
        }
        for a in 0..<p { for b in 0..<a { gram[a * p + b] = gram[b * p + a] } }
        return gram
    }
}
