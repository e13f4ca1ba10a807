import Foundation

/// L2-regularised logistic regression fitted by iteratively reweighted least squares, each step a
/// Cholesky solve of the normal equations with LAPACK (`dposv`).
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
            var h = [Double](repeating: 0, count: p * p)   // Xᵀ S X + λI
            var g = [Double](repeating: 0, count: p)       // Xᵀ (y − μ) − λw
            var row = [Double](repeating: 1, count: p)
            for i in 0..<n {
                for j in 0..<d { row[j] = x[i * d + j] }
                var z = w[d]
                for j in 0..<d { z += w[j] * row[j] }
                let mu = 1 / (1 + exp(-z))
                let sw = sampleWeights?[i] ?? 1
                let s = max(mu * (1 - mu), 1e-10) * sw
                let r = (y[i] - mu) * sw
                for a in 0..<p {
                    g[a] += row[a] * r
                    let sa = s * row[a]
                    if sa != 0 { for b in a..<p { h[a * p + b] += sa * row[b] } }
                }
            }
            for a in 0..<p { for b in 0..<a { h[a * p + b] = h[b * p + a] } }
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
