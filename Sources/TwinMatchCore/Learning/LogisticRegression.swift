import Foundation

/// L2-regularised logistic regression fitted by iteratively reweighted least squares, each step a
/// Cholesky solve of the normal equations with LAPACK (`dposv`), their products with BLAS.
public struct LogisticRegression: Sendable {
    /// Weights per feature, then the intercept last.
    public let coefficients: [Double]
    public let iterations: Int

    /// Fits `P(y = 1 | x) = σ(w·x + b)` on rows `x` (`n × d`, row-major) with labels `y` and sample weights.
    /// `l2` penalises the weights (not the intercept).
    public static func fit(x: [Double], y: [Double], dimension d: Int, sampleWeights: [Double]? = nil,
                           l2: Double = 1e-3, maxIterations: Int = 50, tolerance: Double = 1e-8) throws -> LogisticRegression {
        let n = y.count
        precondition(x.count == n * d && (sampleWeights == nil || sampleWeights!.count == n))
        let p = d + 1
        var w = [Double](repeating: 0, count: p)
        var iterations = 0
        for iteration in 1...maxIterations {
            iterations = iteration
            // Xᵀ S X + λI and Xᵀ (y − μ) − λw, X with a column of ones for the intercept.
            let z = DenseBLAS.times(x, rows: n, columns: d, Array(w.prefix(d)))
            var s = [Double](repeating: 0, count: n), r = [Double](repeating: 0, count: n)
            for i in 0..<n {
                let mu = 1 / (1 + exp(-(z[i] + w[d])))
                let sw = sampleWeights?[i] ?? 1
                s[i] = max(mu * (1 - mu), 1e-10) * sw
                r[i] = (y[i] - mu) * sw
            }
            var h = DenseBLAS.weightedGram(x, rows: n, columns: d, weights: s, intercept: true)
            var g = DenseBLAS.transposeTimes(x, rows: n, columns: d, r) + [r.reduce(0, +)]
            for j in 0..<d {
                h[j * p + j] += l2
                g[j] -= l2 * w[j]
            }
            h[d * p + d] += 1e-9
            let step = try LAPACK.solveSPD(h, n: p, g)
            var change = 0.0
            for j in 0..<p {
                w[j] += step[j]
                change = max(change, abs(step[j]))
            }
            if change < tolerance { break }
        }
        return LogisticRegression(coefficients: w, iterations: iterations)
    }
}
