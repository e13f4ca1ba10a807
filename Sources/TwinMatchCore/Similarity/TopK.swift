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
public struct TopKBlock: BoundedHeaps {
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

    /// The score a candidate must reach to be considered for query `q` (−∞ while the heap is not full).
    @inline(__always) public func threshold(_ q: Int) -> Float {
        counts[q] < k ? -.infinity : scores[q * k]
    }

    /// Offers candidate `row` with `score` to query `q`; returns whether it was kept.
    @inline(__always) @discardableResult
    public mutating func offer(_ q: Int, row: Int, score: Float) -> Bool {
        guard k > 0, !score.isNaN else { return false }
        let count = counts[q]
        guard push(base: q * k, count: count, score: score, row: Int32(truncatingIfNeeded: row)) else { return false }
        if count < k { counts[q] = count + 1 }
        return true
    }

    @inline(__always) func slotScore(_ i: Int) -> Float { scores[i] }
    @inline(__always) func slotRow(_ i: Int) -> Int32 { rows[i] }
    @inline(__always) mutating func setSlot(_ i: Int, score: Float, row: Int32) {
        scores[i] = score
        rows[i] = row
    }
    @inline(__always) func tieRank(of row: Int32) -> Int32 { tieRank[Int(row)] }

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

/// Bounded min-heaps of `k` slots per query, the root the worst kept candidate: the sift logic shared by
/// `TopKBlock` and the symmetric search's `RowHeaps`, which store their slots differently.
protocol BoundedHeaps {
    var k: Int { get }
    func slotScore(_ i: Int) -> Float
    func slotRow(_ i: Int) -> Int32
    mutating func setSlot(_ i: Int, score: Float, row: Int32)
    /// The order of equal scores: the later id is worse.
    func tieRank(of row: Int32) -> Int32
}

extension BoundedHeaps {
    /// A lower score, or an equal score and a later id.
    @inline(__always) func worse(_ s1: Float, _ r1: Int32, than s2: Float, _ r2: Int32) -> Bool {
        s1 < s2 || (s1 == s2 && tieRank(of: r1) > tieRank(of: r2))
    }

    /// Puts a candidate into the heap of slots `base ..< base + k` that holds `count` of them: while it is
    /// not full, by sifting up from the next slot; then only if the candidate beats the root, by replacing
    /// the root and sifting down. Returns whether the candidate was kept (the caller counts it).
    @inline(__always) mutating func push(base: Int, count: Int, score: Float, row r: Int32) -> Bool {
        if count < k {
            var i = count
            while i > 0 {
                let parent = (i - 1) / 2
                guard worse(score, r, than: slotScore(base + parent), slotRow(base + parent)) else { break }
                setSlot(base + i, score: slotScore(base + parent), row: slotRow(base + parent))
                i = parent
            }
            setSlot(base + i, score: score, row: r)
            return true
        }
        guard worse(slotScore(base), slotRow(base), than: score, r) else { return false }
        var i = 0
        while true {
            let l = 2 * i + 1
            if l >= k { break }
            var c = l
            if l + 1 < k && worse(slotScore(base + l + 1), slotRow(base + l + 1), than: slotScore(base + l), slotRow(base + l)) { c = l + 1 }
            guard worse(slotScore(base + c), slotRow(base + c), than: score, r) else { break }
            setSlot(base + i, score: slotScore(base + c), row: slotRow(base + c))
            i = c
        }
        setSlot(base + i, score: score, row: r)
        return true
    }
}
