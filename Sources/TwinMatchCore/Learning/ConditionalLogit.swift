import Foundation

/// Conditional logit (a softmax over each group of candidates): for every group — one known partner and
/// the negatives sampled for the same query — maximise the log-probability of the partner, minus
/// `l2/2 · ‖w‖²`. It scores what a ranking needs: the partner above the other candidates of its query.
/// Damped Newton steps, each a Cholesky solve with LAPACK (`dposv`), halving the step until the
/// objective improves.
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
        var current = objective(x, d, groupStarts, w, l2, offsets, groupWeights)
        for _ in 0..<iterations {
            var g = [Double](repeating: 0, count: d), h = [Double](repeating: 0, count: d * d)
            for k in 0..<(groupStarts.count - 1) {
                let lo = groupStarts[k], hi = groupStarts[k + 1]
                guard hi - lo > 1 else { continue }
                let weight = groupWeights.isEmpty ? 1 : groupWeights[k]
                guard weight > 0 else { continue }
                var scores = (lo..<hi).map { r in (0..<d).reduce(offsets.isEmpty ? 0 : offsets[r]) { $0 + w[$1] * x[r * d + $1] } }
                let top = scores.max() ?? 0
                var sum = 0.0
                for i in scores.indices { scores[i] = exp(scores[i] - top); sum += scores[i] }
                var mean = [Double](repeating: 0, count: d)
                for (i, r) in (lo..<hi).enumerated() {
                    let p = weight * scores[i] / sum
                    for a in 0..<d {
                        let pa = p * x[r * d + a]
                        mean[a] += pa
                        if pa != 0 { for b in a..<d { h[a * d + b] += pa * x[r * d + b] } }
                    }
                }
                for a in 0..<d {
                    g[a] += weight * x[lo * d + a] - mean[a]
                    for b in a..<d { h[a * d + b] -= mean[a] * mean[b] / weight }
                }
            }
            for a in 0..<d { for b in 0..<a { h[a * d + b] = h[b * d + a] } }
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
        return (0..<(groupStarts.count - 1)).map { k in
            let lo = groupStarts[k], hi = groupStarts[k + 1]
            guard hi - lo > 1 else { return 1 }
            let uniform = log(Double(pool - 1) / Double(hi - lo - 1))
            let scores = (lo..<hi).map { r in (0..<d).reduce(0.0) { $0 + w[$1] * x[r * d + $1] } }
            let sum = (lo + 1..<hi).reduce(0.0) { total, r in
                let weight = offsets.isEmpty ? uniform : offsets[r]
                return total + exp(min(50, scores[r - lo] - scores[0] + weight))
            }
            return 1 + sum
        }
    }

    static func objective(_ x: [Double], _ d: Int, _ groupStarts: [Int], _ w: [Double], _ l2: Double, _ offsets: [Double],
                          _ groupWeights: [Double] = []) -> Double {
        var total = 0.0
        for k in 0..<(groupStarts.count - 1) {
            let lo = groupStarts[k], hi = groupStarts[k + 1]
            let scores = (lo..<hi).map { r in (0..<d).reduce(offsets.isEmpty ? 0 : offsets[r]) { $0 + w[$1] * x[r * d + $1] } }
            let top = scores.max() ?? 0
            total += (groupWeights.isEmpty ? 1 : groupWeights[k]) * (scores[0] - top - log(scores.reduce(0) { $0 + exp($1 - top) }))
        }
        return total - 0.5 * l2 * w.reduce(0) { $0 + $1 * $1 }
    }
}
