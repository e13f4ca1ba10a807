/// A candidate and its score.
public struct Neighbor: Sendable, Equatable {
    public let row: Int
    public let score: Float
    public init(row: Int, score: Float) {
        self.row = row
        self.score = score
    }
}

/// Bounded top-k selection for a block of queries, in flat arrays (`queries × k`).
///
/// Each query keeps a min-heap whose root is its worst kept candidate: "worse" means a lower score, or an
/// equal score and a later id (`tieRank`). A new score is compared with the root before any heap work.
/// - Complexity: O(log k) per accepted candidate, O(1) per rejected one.
public struct TopKBlock {
    public let k: Int
    public private(set) var scores: [Float]
    public private(set) var rows: [Int32]
    public private(set) var counts: [Int]
    let tieRank: [Int32]

    public init(queries: Int, k: Int, tieRank: [Int32]) {
        self.k = k
        self.tieRank = tieRank
        scores = [Float](repeating: -.infinity, count: queries * k)
        rows = [Int32](repeating: -1, count: queries * k)
        counts = [Int](repeating: 0, count: queries)
    }

    @inline(__always) func worse(_ s1: Float, _ r1: Int32, than s2: Float, _ r2: Int32) -> Bool {
        s1 < s2 || (s1 == s2 && tieRank[Int(r1)] > tieRank[Int(r2)])
    }

    /// The score a candidate must reach to be considered for query `q` (−∞ while the heap is not full).
    @inline(__always) public func threshold(_ q: Int) -> Float {
        counts[q] < k ? -.infinity : scores[q * k]
    }

    /// Offers candidate `row` with `score` to query `q`; returns whether it was kept.
    @inline(__always) @discardableResult
    public mutating func offer(_ q: Int, row: Int, score: Float) -> Bool {
        guard k > 0, !score.isNaN else { return false }
        let base = q * k
        let r = Int32(truncatingIfNeeded: row)
        if counts[q] < k {
            // sift up
            var i = counts[q]
            counts[q] += 1
            while i > 0 {
                let parent = (i - 1) / 2
                if worse(score, r, than: scores[base + parent], rows[base + parent]) {
                    scores[base + i] = scores[base + parent]
                    rows[base + i] = rows[base + parent]
                    i = parent
                } else { break }
            }
            scores[base + i] = score
            rows[base + i] = r
            return true
        }
        guard worse(scores[base], rows[base], than: score, r) else { return false }
        // replace the root and sift down
        var i = 0
        while true {
            let l = 2 * i + 1
            if l >= k { break }
            var c = l
            if l + 1 < k && worse(scores[base + l + 1], rows[base + l + 1], than: scores[base + l], rows[base + l]) { c = l + 1 }
            if worse(scores[base + c], rows[base + c], than: score, r) {
                scores[base + i] = scores[base + c]
                rows[base + i] = rows[base + c]
                i = c
            } else { break }
        }
        scores[base + i] = score
        rows[base + i] = r
        return true
    }

    /// Merges another block's candidates for the same queries into this one.
    public mutating func merge(_ other: TopKBlock) {
        precondition(other.k == k && other.counts.count == counts.count)
        for q in 0..<counts.count {
            for t in 0..<other.counts[q] { offer(q, row: Int(other.rows[q * k + t]), score: other.scores[q * k + t]) }
        }
    }

    /// The kept candidates of query `q`, best first.
    public func sorted(_ q: Int) -> [Neighbor] {
        var out: [Neighbor] = []
        for t in 0..<counts[q] { out.append(Neighbor(row: Int(rows[q * k + t]), score: scores[q * k + t])) }
        out.sort { a, b in a.score != b.score ? a.score > b.score : tieRank[a.row] < tieRank[b.row] }
        return out
    }
}
