import Foundation

/// The Double top k of inner-product queries, from a Float search that kept a few more.
///
/// A Float score from `sgemm` depends on the tile the pair fell in (its kernel, the order of its sums), so
/// the same pair can differ in the last bits between thread counts, tile sizes and the symmetric and
/// query × candidate paths. Here every kept candidate is scored again as a `Double` sum in column order,
/// and ranked by that score, ties by tie rank: the result no longer depends on how the search was cut.
///
/// A candidate the Float search dropped has a Float score at most the last one kept, and its exact score
/// exceeds that by at most the error bound of a Float inner product (`γ_d · ‖q‖ · max ‖x‖`). When the
/// k-th Double score is above the last kept Float score plus that bound, nothing dropped can enter the
/// top k; otherwise (near-ties across the margin) the query is scored in Double against every candidate.
struct DoubleRescore {
    let queries: FloatMatrix
    let candidates: FloatMatrix
    let tieRank: [Int32]
    /// The largest row norm of `candidates`.
    let maxNorm: Double
    /// Twice `γ_d = d·u / (1 − d·u)` with u = 2⁻²⁴ (the Float search) , which also covers the Double sums.
    let relativeError: Double

    init(queries: FloatMatrix, candidates: FloatMatrix, tieRank: [Int32]) {
        self.queries = queries
        self.candidates = candidates
        self.tieRank = tieRank
        maxNorm = (0..<candidates.rows).reduce(0.0) { max($0, candidates.dot(row: $1, candidates, row: $1, columns: 0..<candidates.cols).squareRoot()) }
        let du = Double(candidates.cols) * 0x1p-24
        relativeError = 2 * du / max(1 - du, 0.5)
    }

    /// How many candidates the Float search keeps for a Double top `k`.
    static func widened(_ k: Int) -> Int { k == 0 ? 0 : k + max(8, k / 4) }

    /// The Double top `k` of every query of `found` (the Float search's lists, `rows[q]` the query row
    /// of list q, itself never a candidate), best first, ties by tie rank: the table and its Double scores.
    func top(_ k: Int, of found: NeighborTable, rows: [Int], threads: Int) -> (table: NeighborTable, scores: [Double]) {
        let m = found.queryCount
        var table = NeighborTable(k: k, queries: m)
        guard k > 0, m > 0 else { return (table, []) }
        let outRows = FlatBuffer<Int32>(count: m * k, value: -1)
        let outScores = FlatBuffer<Double>(count: m * k, value: -.infinity)
        let outCounts = FlatBuffer<Int32>(count: m, value: 0)
        let chunk = 512, chunks = (m + chunk - 1) / chunk
        let next = Locked(0)
        DispatchQueue.concurrentPerform(iterations: min(max(threads, 1), chunks)) { _ in
            while true {
                let c = next.withLock { n in defer { n += 1 }; return n }
                guard c < chunks else { break }
                for q in (c * chunk)..<min(m, (c + 1) * chunk) {
                    let best = self.best(k, query: rows[q], kept: found.neighbors(q))
                    outCounts[q] = Int32(best.count)
                    for (t, e) in best.enumerated() {
                        outRows[q * k + t] = Int32(e.row)
                        outScores[q * k + t] = e.score
                    }
                }
            }
        }
        var scores = [Double](repeating: 0, count: m * k)
        for i in 0..<(m * k) {
            table.rows[i] = outRows[i]
            scores[i] = outScores[i]
            table.scores[i] = Float(outScores[i])
        }
        for q in 0..<m { table.counts[q] = outCounts[q] }
        return (table, scores)
    }

    /// The Double top `k` of query row `r` from the Float search's `kept` list (best first).
    func best(_ k: Int, query r: Int, kept: [Neighbor]) -> [(row: Int, score: Double)] {
        var list = kept.map { (row: $0.row, score: score(r, $0.row)) }
        list.sort(by: better)
        let others = candidates.rows - (r < candidates.rows ? 1 : 0)
        if kept.count < others, list.count >= k, let floor = kept.last?.score {
            let bound = Double(floor) + relativeError * norm(r) * maxNorm
            if !(list[k - 1].score > bound) {
                list = (0..<candidates.rows).filter { $0 != r }.map { (row: $0, score: score(r, $0)) }
                list.sort(by: better)
            }
        }
        return Array(list.prefix(k))
    }

    func score(_ r: Int, _ c: Int) -> Double { queries.dot(row: r, candidates, row: c, columns: 0..<candidates.cols) }

    func norm(_ r: Int) -> Double { queries.dot(row: r, queries, row: r, columns: 0..<queries.cols).squareRoot() }

    func better(_ a: (row: Int, score: Double), _ b: (row: Int, score: Double)) -> Bool {
        a.score != b.score ? a.score > b.score : tieRank[a.row] < tieRank[b.row]
    }
}
