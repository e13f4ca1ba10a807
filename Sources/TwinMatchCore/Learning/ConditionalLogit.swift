import Foundation

/// Conditional logit (a softmax over each group of candidates): for every group — one known partner and
/// the negatives sampled for the same query — maximise the log-probability of the partner, minus
/// `l2/2 · ‖w‖²`. It scores what a ranking needs: the partner above the other candidates of its query.
/// Damped Newton steps, each a Cholesky solve with LAPACK (`dposv`) of a Hessian built with BLAS, halving
/// the step until the objective improves.
public enum ConditionalLogit {
    /// - Parameters:
    ///   - x: rows (`n × d`, row-major); the first row of every group is its positive.
    ///   - groupStarts: the first row of every group, ascending, plus `n` at the end.
    ///   - initial: starting weights (e.g. from logistic regression).
    ///   - offsets: a fixed term per row added to its score (empty: none). Sampled candidates take
    ///     −ln(expected times sampled), which makes the sampled softmax estimate the full one.
    public static func fit(x: [Double], dimension d: Int, groupStarts: [Int], initial: [Double],
                           offsets: [Double] = [], groupWeights: [Double] = [], l2: Double = 1, iterations: Int = 12) throws -> [Double] {
        precondition(initial.count == d && groupStarts.last == x.count / max(d, 1))
        precondition(offsets.isEmpty || offsets.count == x.count / max(d, 1))
        precondition(groupWeights.isEmpty || groupWeights.count == groupStarts.count - 1)
        var w = initial
        let rows = x.count / max(d, 1), groups = groupStarts.count - 1
        var current = objective(x, d, groupStarts, w, l2, offsets, groupWeights)
        for _ in 0..<iterations {
            // The Hessian of a group's log-likelihood is −(Σ p_r x_r x_rᵀ − m mᵀ / weight), with p the
            // softmax (times the group's weight) and m = Σ p_r x_r: two weighted Gram matrices, one over the
            // rows and one over the groups' means.
            let scores = DenseBLAS.times(x, rows: rows, columns: d, w, adding: offsets)
            var p = [Double](repeating: 0, count: rows)
            var means = [Double](repeating: 0, count: groups * d), inverseWeights = [Double](repeating: 0, count: groups)
            var g = [Double](repeating: 0, count: d)
            for k in 0..<groups {
                let lo = groupStarts[k], hi = groupStarts[k + 1]
                let weight = groupWeights.isEmpty ? 1 : groupWeights[k]
                guard weight > 0, hi - lo > 1 else { continue }
                let top = scores[lo..<hi].max() ?? 0
                var sum = 0.0
                for r in lo..<hi { p[r] = exp(scores[r] - top); sum += p[r] }
                for r in lo..<hi {
                    p[r] *= weight / sum
                    for a in 0..<d { means[k * d + a] += p[r] * x[r * d + a] }
                }
                inverseWeights[k] = 1 / weight
                for a in 0..<d { g[a] += weight * x[lo * d + a] - means[k * d + a] }
            }
            var h = DenseBLAS.weightedGram(x, rows: rows, columns: d, weights: p)
            let meanGram = DenseBLAS.weightedGram(means, rows: groups, columns: d, weights: inverseWeights)
            for i in h.indices { h[i] -= meanGram[i] }
            for a in 0..<d { h[a * d + a] += l2; g[a] -= l2 * w[a] }
            let step = try LAPACK.solveSPD(h, n: d, g)
            var scale = 1.0, improved = false
            for _ in 0..<8 {
                let trial = (0..<d).map { w[$0] + scale * step[$0] }
                let value = objective(x, d, groupStarts, trial, l2, offsets, groupWeights)
                if value > current {
                    w = trial
                    improved = value - current > 1e-7 * abs(current)
                    current = value
                    break
                }
                scale /= 2
            }
            if !improved { break }
        }
        return w
    }

    /// Each group's positive's estimated rank among `pool` candidates: 1 + Σ exp(s_neg − s_pos) / (expected
    /// draws of neg), each negative standing for the candidates like it that were not drawn. The offsets are
    /// −ln(expected draws); without them the `hi − lo − 1` negatives count as uniform draws from the pool,
    /// each standing for (pool − 1) / negatives candidates.
    public static func estimatedRanks(x: [Double], dimension d: Int, groupStarts: [Int], weights w: [Double], pool: Int,
                                      offsets: [Double] = []) -> [Double] {
        precondition(offsets.isEmpty || offsets.count == x.count / max(d, 1))
        let scores = DenseBLAS.times(x, rows: x.count / max(d, 1), columns: d, w)
        return (0..<(groupStarts.count - 1)).map { k in
            let lo = groupStarts[k], hi = groupStarts[k + 1]
            guard hi - lo > 1 else { return 1 }
            let uniform = log(Double(pool - 1) / Double(hi - lo - 1))
            let sum = (lo + 1..<hi).reduce(0.0) { total, r in
                let weight = offsets.isEmpty ? uniform : offsets[r]
                return total + exp(min(50, scores[r] - scores[lo] + weight))
            }
            return 1 + sum
        }
    }

    static func objective(_ x: [Double], _ d: Int, _ groupStarts: [Int], _ w: [Double], _ l2: Double, _ offsets: [Double],
                          _ groupWeights: [Double] = []) -> Double {
        let scores = DenseBLAS.times(x, rows: x.count / max(d, 1), columns: d, w, adding: offsets)
        var total = 0.0
        for k in 0..<(groupStarts.count - 1) {
            let lo = groupStarts[k], hi = groupStarts[k + 1]
            guard hi > lo else { continue }
            let top = scores[lo..<hi].max() ?? 0
            let sum = scores[lo..<hi].reduce(0) { $0 + exp($1 - top) }
            total += (groupWeights.isEmpty ? 1 : groupWeights[k]) * (scores[lo] - top - log(sum))
        }
        return total - 0.5 * l2 * w.reduce(0) { $0 + $1 * $1 }
    }
}
