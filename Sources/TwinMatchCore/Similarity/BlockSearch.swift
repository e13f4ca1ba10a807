import Foundation

/// The candidates split into blocks of similar rows, each with the box its vectors lie in (the smallest
/// and largest value of every column), so that one query can bound the inner product of a whole block
/// without reading its rows: `q · x ≤ Σ_d max(q_d · low_d, q_d · high_d)`.
///
/// A single query (a server's request) then reads only the blocks whose bound can still reach its top k,
/// instead of streaming the whole matrix (`ExactSearch.topK(query:…)`).
public struct CandidateBlocks: Sendable {
    /// Candidate rows, block after block.
    public let rows: [Int32]
    /// Block `b` is `rows[starts[b]..<starts[b + 1]]`.
    public let starts: [Int]
    /// Per column and block, the largest and smallest value (`d × blocks`: a query's column reads one row).
    let high: FloatMatrix, low: FloatMatrix
    /// Per block, the largest magnitude of any value: bounds the rounding of the inner products.
    let magnitude: [Float]
    /// The longest block.
    public let longest: Int
    /// Per candidate row, its block.
    public let blockOf: [Int32]

    public var count: Int { starts.count - 1 }

    /// Blocks of `candidates`' rows as `order` lists them, cut where `starts` says (`starts` begins at 0,
    /// ends at `order.count`, increasing).
    public init(candidates: FloatMatrix, order: [Int32], starts: [Int]) {
        precondition(order.count == candidates.rows && Set(order).count == order.count, "the order must list every row once")
        precondition(starts.first == 0 && starts.last == order.count && zip(starts, starts.dropFirst()).allSatisfy { $0 < $1 },
                     "block starts must increase from 0 to the number of rows")
        let d = candidates.cols, blocks = starts.count - 1
        let boxes: [(high: [Float], low: [Float], magnitude: Float)] = parallelMap(blocks) { b in
            var high = [Float](repeating: -.infinity, count: d), low = [Float](repeating: .infinity, count: d)
            for r in order[starts[b]..<starts[b + 1]] {
                let x = candidates.row(Int(r))
                for j in 0..<d {
                    high[j] = max(high[j], x[j])
                    low[j] = min(low[j], x[j])
                }
            }
            let magnitude = zip(high, low).reduce(Float(0)) { max($0, abs($1.0), abs($1.1)) }
            return (high, low, magnitude)
        }
        rows = order
        self.starts = starts
        var high = [Float](repeating: 0, count: d * blocks), low = high
        for (b, box) in boxes.enumerated() {
            for j in 0..<d {
                high[j * blocks + b] = box.high[j]
                low[j * blocks + b] = box.low[j]
            }
        }
        self.high = FloatMatrix(rows: d, cols: blocks, values: high)
        self.low = FloatMatrix(rows: d, cols: blocks, values: low)
        magnitude = boxes.map(\.magnitude)
        longest = zip(starts, starts.dropFirst()).map { $1 - $0 }.max() ?? 0
        var blockOf = [Int32](repeating: 0, count: candidates.rows)
        for b in 0..<blocks {
            for r in order[starts[b]..<starts[b + 1]] { blockOf[Int(r)] = Int32(b) }
        }
        self.blockOf = blockOf
    }

    /// Per block, an upper bound of `q · x` over its rows, as the BLAS computes it: the box bound plus
    /// the rounding of a `d`-term float sum (γ_d · Σ |q_j| · |x_j|, with room to spare).
    /// A query of no columns (a model without content terms) scores 0 everywhere.
    public func innerProductBounds(_ q: [Float]) -> [Float] {
        guard !q.isEmpty else { return [Float](repeating: 0, count: count) }
        precondition(q.count == high.rows, "query dimension \(q.count) ≠ candidate dimension \(high.rows)")
        // Σ_j max(q_j · high_j, q_j · low_j) over the query's nonzero columns: one row of `high` or `low` each.
        var out = [Float](repeating: 0, count: count)
        for (j, v) in q.enumerated() where v != 0 {
            BLAS.add(v, times: j, of: v > 0 ? high : low, to: &out)
        }
        let norm = q.reduce(Float(0)) { $0 + abs($1) }
        let rounding = 4 * Float(q.count + 2) * Float.ulpOfOne * norm
        for b in 0..<count { out[b] += rounding * magnitude[b] + 1e-6 }
        return out
    }
}

/// Terms of a score that can also be bounded over a block of candidates.
public protocol BlockPairTerms: PairTerms {
    /// Upper bounds over the candidates of `block`: of `extra(query:candidate:)` (less, for a candidate
    /// that `mustScore`, its `excess`), and of `rest(query:candidate:)`.
    func bounds(query: Int, block: Int) -> (terms: Float, rest: Float)
    /// `bounds(query:block:)` of each block of `blocks`, at once.
    func bounds(query: Int, blocks: Range<Int>) -> [(terms: Float, rest: Float)]
    /// The candidates of query `query` for which `mustScore` is true, each with what its `extra` may
    /// exceed its block's bound by (`bounds`).
    func mustScoreCandidates(query: Int) -> [(row: Int, excess: Float)]
}

extension BlockPairTerms {
    public func bounds(query: Int, blocks: Range<Int>) -> [(terms: Float, rest: Float)] {
        blocks.map { bounds(query: query, block: $0) }
    }
}

extension NoPairTerms: BlockPairTerms {
    public func bounds(query: Int, block: Int) -> (terms: Float, rest: Float) { (0, 0) }
    public func mustScoreCandidates(query: Int) -> [(row: Int, excess: Float)] { [] }
}

extension ExactSearch {
    /// The best `k` candidates of query row `query` of `queries`, as `topK` finds them, reading only what
    /// can still enter: the blocks by their bound (inner product, the best `bias` in the block, `extras`'
    /// block bound) and the candidates `extras` must score by their own (their block's inner-product
    /// bound, their bias and terms), best bound first, until the best bound left is below the k-th best.
    ///
    /// Each score is a float sum as in `topK`, from `cblas_sdot` instead of `cblas_sgemm`: the two agree
    /// up to the kernels' rounding (a few ulps), so they can order differently only candidates that tie
    /// within it.
    public static func topK<E: BlockPairTerms>(query: Int, queries: FloatMatrix, candidates: FloatMatrix, blocks: CandidateBlocks,
                                               k: Int, tieRank: [Int32], bias: [Float], blockBias: [Float], extras: E,
                                               admissible: Admissible? = nil) -> [Neighbor] {
        precondition(queries.cols == candidates.cols && tieRank.count == candidates.rows && bias.count == candidates.rows
                     && blockBias.count == blocks.count && blocks.rows.count == candidates.rows)
        let k = min(max(k, 0), candidates.rows)
        guard k > 0 else { return [] }
        let bounds = blocks.innerProductBounds(queries.row(query))
        let bound = extras.bound(query: query), restBound = extras.restBound(query: query)
        let blockTerms = extras.bounds(query: query, blocks: 0..<blocks.count)
        let reach = (0..<blocks.count).map { bounds[$0] + blockBias[$0] + blockTerms[$0].terms }
        // Blocks best bound first, from a heap: a search takes a few of the thousands.
        var order = KeyHeap(keys(reach.indices.map { (reach[$0], Int32($0)) }))
        // The candidates that must be scored, in a heap (most are never taken), each first at its block's
        // reach plus its excess; one taken at that is bounded again by its own bias and cheap terms, its
        // block's inner product and rest, and goes back at that bound (marked `refined`).
        let refined: UInt32 = 1 << 31
        var must = KeyHeap(keys(extras.mustScoreCandidates(query: query).map { c, excess in
            (reach[Int(blocks.blockOf[c])] + excess, Int32(c))
        }))

        let tile = TileBuffer(rows: 1, cols: max(blocks.longest, 1))
        var heap = TopKBlock(queries: 1, k: k, tieRank: tieRank)

        /// Offers `rows`' scores; with `sparse`, only the candidates that must be scored, otherwise only the others.
        func offer(_ rows: ArraySlice<Int32>, sparse: Bool) {
            let view = BLAS.scoreRows(queries, row: query, candidates, rows: rows, into: tile)
            var threshold = heap.threshold(0)
            for (j, r) in rows.enumerated() {
                let c = Int(r)
                guard extras.mustScore(query: query, candidate: c) == sparse else { continue }
                var s = view[0, j] + bias[c]
                guard let t = extras.terms(query: query, candidate: c, score: s, bound: bound, restBound: restBound, threshold: threshold) else { continue }
                s += t
                if s < threshold { continue }
                if let admissible, !admissible(query, c) { continue }
                if heap.offer(0, row: c, score: s) { threshold = heap.threshold(0) }
            }
        }

        // Blocks and must-score candidates merged by their bounds, best first.
        var run: [Int32] = []
        run.reserveCapacity(tile.colCapacity)
        while !order.isEmpty || !must.isEmpty {
            let blockReach = order.first.map(unpackedScore) ?? -.infinity
            let mustReach = must.first.map(unpackedScore) ?? -.infinity
            if max(blockReach, mustReach) < heap.threshold(0) { break }
            if !must.isEmpty && mustReach >= blockReach {
                // A run of must-score candidates, down to the next block's bound.
                run.removeAll(keepingCapacity: true)
                while let key = must.first, run.count < tile.colCapacity, unpackedScore(key) >= max(blockReach, heap.threshold(0)) {
                    _ = must.removeFirst()
                    let id = UInt32(truncatingIfNeeded: key)
                    if id & refined != 0 {
                        run.append(Int32(id & ~refined))
                        continue
                    }
                    let c = Int(id), b = Int(blocks.blockOf[c])
                    let own = bounds[b] + bias[c] + extras.cheap(query: query, candidate: c) + blockTerms[b].rest
                    must.insert(keys([(min(own, unpackedScore(key)), Int32(bitPattern: id | refined))])[0])
                }
                offer(run[...], sparse: true)
            } else {
                let b = Int(UInt32(truncatingIfNeeded: order.removeFirst()))
                offer(blocks.rows[blocks.starts[b]..<blocks.starts[b + 1]], sparse: false)
            }
        }
        return heap.sorted(0)
    }
}

/// Keys of `items` (a score and a non-negative id) that sort as the items do best first: by score
/// descending (−0 just below +0), then id ascending (`unpackedScore` reads the score back, the low 32 bits
/// are the id).
func keys(_ items: [(Float, Int32)]) -> [UInt64] {
    items.map { score, id in
        let bits = score.bitPattern
        // Ordered as the floats are: negatives flipped, positives above them; then reversed for descending.
        let ordered = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
        return UInt64(~ordered) << 32 | UInt64(UInt32(bitPattern: id))
    }
}

/// The score of a `keys` key.
func unpackedScore(_ key: UInt64) -> Float {
    let ordered = ~UInt32(truncatingIfNeeded: key >> 32)
    return Float(bitPattern: ordered & 0x8000_0000 != 0 ? ordered & 0x7FFF_FFFF : ~ordered)
}

/// A binary min-heap of keys: the smallest first.
struct KeyHeap {
    private var items: [UInt64]

    init(_ keys: [UInt64]) {
        items = keys
        for i in stride(from: items.count / 2 - 1, through: 0, by: -1) { siftDown(i) }
    }

    var isEmpty: Bool { items.isEmpty }
    var first: UInt64? { items.first }

    mutating func insert(_ key: UInt64) {
        items.append(key)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if items[parent] <= items[i] { return }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func removeFirst() -> UInt64 {
        let top = items[0]
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            siftDown(0)
        }
        return top
    }

    private mutating func siftDown(_ start: Int) {
        var i = start
        let n = items.count
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < n && items[l] < items[m] { m = l }
            if r < n && items[r] < items[m] { m = r }
            if m == i { return }
            items.swapAt(i, m)
            i = m
        }
    }
}
