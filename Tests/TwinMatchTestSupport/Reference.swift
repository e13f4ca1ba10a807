import TwinMatchCore

/// The plain reference: every score in Double, full sort by score then tie rank.
public func referenceTopK(queries: FloatMatrix, candidates: FloatMatrix, k: Int, tieRank: [Int32], bias: [Float]? = nil,
                          admissible: ((Int, Int) -> Bool)? = nil) -> [[(row: Int, score: Double)]] {
    (0..<queries.rows).map { q in
        var all: [(row: Int, score: Double)] = []
        for c in 0..<candidates.rows where admissible?(q, c) ?? true {
            var s = 0.0
            for j in 0..<queries.cols { s += Double(queries[q, j]) * Double(candidates[c, j]) }
            if let bias { s += Double(bias[c]) }
            all.append((c, s))
        }
        all.sort { $0.score != $1.score ? $0.score > $1.score : tieRank[$0.row] < tieRank[$1.row] }
        return Array(all.prefix(max(0, k)))
    }
}

/// The plain all-pairs reference: for every row of `x`, the top `k` other rows of `x` (a row is never its
/// own neighbour), every score in Double, ties by tie rank.
public func referenceAllPairs(_ x: FloatMatrix, k: Int, tieRank: [Int32]) -> [[(row: Int, score: Double)]] {
    referenceTopK(queries: x, candidates: x, k: k, tieRank: tieRank, admissible: { q, c in q != c })
}

/// The plain consortium reference: every set of `search.rules.size` pool members, the best admissible one
/// by objective (ties by the sets' pool positions, as the beam breaks them); nil when none is admissible.
public func bruteForceConsortium(_ search: ConsortiumSearch) -> (members: [Int], value: Double)? {
    var best: (members: [Int], value: Double)?
    var set: [Int] = []
    func visit(_ from: Int) {
        if set.count == search.rules.size {
            guard search.admits(set) else { return }
            let value = search.objective(set)
            if best.map({ value > $0.value + 1e-9 }) ?? true { best = (set, value) }
            return
        }
        guard from < search.poolCount else { return }
        for c in from..<search.poolCount {
            set.append(c)
            visit(c + 1)
            set.removeLast()
        }
    }
    visit(0)
    return best
}
