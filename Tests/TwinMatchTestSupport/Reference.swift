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
