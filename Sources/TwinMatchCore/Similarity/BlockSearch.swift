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
    /// Per block, the column ranges where some of its rows is nonzero, as pairs of start and end:
    /// `columns[columnStart[b]..<columnStart[b + 1]]`.
    let columns: [Int32], columnStart: [Int]
    /// The blocks' rows in block order, each with only its block's column ranges: block `b` is a row-major
    /// `rows × width` matrix at `packedStart[b]`, `width` the length of its ranges. A block's scores are then
    /// one `cblas_sgemv` over contiguous memory, its zero columns never read.
    let packed: [Float], packedStart: [Int]
    /// Per candidate row, its place in `rows`.
    let position: [Int32]

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
        let ranges = boxes.map { Self.nonzeroColumns(high: $0.high, low: $0.low) }
        columns = ranges.flatMap { $0 }
        columnStart = ranges.reduce(into: [0]) { $0.append($0[$0.count - 1] + $1.count) }
        let widths = ranges.map { r in stride(from: 0, to: r.count, by: 2).reduce(0) { $0 + Int(r[$1 + 1] - r[$1]) } }
        var packedStart = [0]
        for b in 0..<blocks { packedStart.append(packedStart[b] + (starts[b + 1] - starts[b]) * widths[b]) }
        self.packedStart = packedStart
        let pieces: [[Float]] = parallelMap(blocks) { b in
            var out: [Float] = []
            out.reserveCapacity((starts[b + 1] - starts[b]) * widths[b])
            for r in order[starts[b]..<starts[b + 1]] {
                let x = candidates.row(Int(r))
                for i in stride(from: 0, to: ranges[b].count, by: 2) { out.append(contentsOf: x[Int(ranges[b][i])..<Int(ranges[b][i + 1])]) }
            }
            return out
        }
        packed = pieces.flatMap { $0 }
        var position = [Int32](repeating: 0, count: candidates.rows)
        for (p, r) in order.enumerated() { position[Int(r)] = Int32(p) }
        self.position = position
    }

    /// Where row `r` starts in `packed` (its block's packed matrix, at its place in the block).
    func packedOffset(ofRow r: Int) -> Int {
        let b = Int(blockOf[r]), width = (packedStart[b + 1] - packedStart[b]) / (starts[b + 1] - starts[b])
        return packedStart[b] + (Int(position[r]) - starts[b]) * width
    }

    /// Query `q` gathered to block `b`'s column ranges (the columns of its packed rows), into `out`; a
    /// query of no columns (a model without content terms) stays empty and scores 0.
    func gather(_ q: [Float], block b: Int, into out: inout [Float]) {
        out.removeAll(keepingCapacity: true)
        guard !q.isEmpty else { return }
        precondition(q.count == high.rows, "query dimension \(q.count) ≠ candidate dimension \(high.rows)")
        var i = columnStart[b]
        while i < columnStart[b + 1] {
            out.append(contentsOf: q[Int(columns[i])..<Int(columns[i + 1])])
            i += 2
        }
    }

    /// Zero gaps shorter than this many columns stay inside a range: fewer ranges to gather a query to.
    static let gap = 4

    /// The ranges of columns where `high` or `low` is nonzero, as pairs of start and end, with the gaps
    /// shorter than `gap` closed.
    static func nonzeroColumns(high: [Float], low: [Float]) -> [Int32] {
        var out: [Int32] = []
        for j in high.indices where high[j] != 0 || low[j] != 0 {
            if let end = out.last, j - Int(end) < gap {
                out[out.count - 1] = Int32(j + 1)
            } else {
                out.append(Int32(j))
                out.append(Int32(j + 1))
            }
        }
        return out
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
    /// Per block of `blocks`, an upper bound of `cheap(query:candidate:)` over its candidates (less, for a
    /// candidate that `mustScore`, its `excess`).
    func cheapBounds(query: Int, blocks: Range<Int>) -> [Float]
    /// An upper bound of `rest(query:candidate:)` over the candidates of `block`.
    func restBound(query: Int, block: Int) -> Float
    /// The candidates of query `query` for which `mustScore` is true, each with what its `extra` may
    /// exceed its block's bounds by (`cheapBounds` and `restBound`).
    func mustScoreCandidates(query: Int) -> [(row: Int, excess: Float)]
    /// `terms(query:candidate:…)` of the candidate at `position` of the blocks' order (`CandidateBlocks.rows`),
    /// one for which `mustScore` is false: terms that keep their inputs in that order read them from there.
    func terms(query: Int, position: Int, candidate: Int, score: Float, bound: Float, restBound: Float, threshold: Float) -> Float?
}

extension BlockPairTerms {
    public func terms(query: Int, position: Int, candidate: Int, score: Float, bound: Float, restBound: Float, threshold: Float) -> Float? {
        terms(query: query, candidate: candidate, score: score, bound: bound, restBound: restBound, threshold: threshold)
    }
}

extension NoPairTerms: BlockPairTerms {
    public func cheapBounds(query: Int, blocks: Range<Int>) -> [Float] { blocks.map { _ in 0 } }
    public func restBound(query: Int, block: Int) -> Float { 0 }
    public func mustScoreCandidates(query: Int) -> [(row: Int, excess: Float)] { [] }
}

extension ExactSearch {
    /// The best `k` candidates of query row `query` of `queries`, as `topK` finds them, reading only what
    /// can still enter: the blocks by their bound (inner product, the best `bias` in the block, `extras`'
    /// block bound) and the candidates `extras` must score by their own (their block's inner-product
    /// bound, their bias and terms), best bound first, until the best bound left is below the k-th best.
    ///
    /// Each score is a float sum as in `topK`, from `cblas_sgemv` or `cblas_sdot` over a block's packed
    /// rows instead of `cblas_sgemm` over the full ones: the two agree up to the kernels' rounding (a few
    /// ulps), so they can order differently only candidates that tie within it.
    public static func topK<E: BlockPairTerms>(query: Int, queries: FloatMatrix, candidates: FloatMatrix, blocks: CandidateBlocks,
                                               k: Int, tieRank: [Int32], bias: [Float], blockBias: [Float], blockOrderBias: [Float]? = nil,
                                               extras: E, admissible: Admissible? = nil) -> [Neighbor] {
        precondition(queries.cols == candidates.cols && tieRank.count == candidates.rows && bias.count == candidates.rows
                     && blockBias.count == blocks.count && blocks.rows.count == candidates.rows
                     && (blockOrderBias?.count ?? candidates.rows) == candidates.rows)
        let blockOrderBias = blockOrderBias ?? blocks.rows.map { bias[Int($0)] }
        let k = min(max(k, 0), candidates.rows)
        guard k > 0 else { return [] }
        let queryRow = queries.row(query)
        // The query gathered to one block's columns (`gatheredBlock`), for that block's packed rows.
        var gathered: [Float] = [], gatheredBlock = -1
        gathered.reserveCapacity(queryRow.count)
        func gather(_ b: Int) {
            if b != gatheredBlock { blocks.gather(queryRow, block: b, into: &gathered) }
            gatheredBlock = b
        }
        let bounds = blocks.innerProductBounds(queryRow)
        let bound = extras.bound(query: query), restBound = extras.restBound(query: query)
        let cheapBounds = extras.cheapBounds(query: query, blocks: 0..<blocks.count)
        // A block's bound without its distance terms, which are bounded for a block only when it is taken.
        let near = (0..<blocks.count).map { bounds[$0] + blockBias[$0] + cheapBounds[$0] }
        var blockRest = [Float](repeating: .nan, count: blocks.count)
        func rest(_ b: Int) -> Float {
            if blockRest[b].isNaN { blockRest[b] = min(restBound, extras.restBound(query: query, block: b)) }
            return blockRest[b]
        }
        // Blocks best bound first, from a heap: a search takes a few of the thousands. Each is first at its
        // bound with the distance terms bounded over every candidate; one taken at that goes back at its
        // own bound (marked `refined`).
        let refined: UInt32 = 1 << 31
        var order = KeyHeap(near.indices.map { heapKey(near[$0] + restBound, Int32($0)) })
        // The candidates that must be scored, in a heap (most are never taken), each first at its block's
        // bound plus its excess; one taken at that is bounded again by its own bias and cheap terms, its
        // block's inner product and rest, and goes back at that bound (marked `refined`).
        var must = KeyHeap(extras.mustScoreCandidates(query: query).map { c, excess in
            heapKey(near[Int(blocks.blockOf[c])] + rest(Int(blocks.blockOf[c])) + excess, Int32(c))
        })

        let tile = TileBuffer(rows: 1, cols: max(blocks.longest, 1))
        var heap = TopKBlock(queries: 1, k: k, tieRank: tieRank)

        var run: [Int32] = []
        /// Offers the scores of the candidates that must be scored among `rows`, each from its packed row.
        func offer(_ rows: ArraySlice<Int32>) {
            var threshold = heap.threshold(0)
            for r in rows {
                let c = Int(r)
                guard extras.mustScore(query: query, candidate: c) else { continue }
                gather(Int(blocks.blockOf[c]))
                var s = BLAS.dot(gathered, blocks.packed, offset: blocks.packedOffset(ofRow: c)) + bias[c]
                guard let t = extras.terms(query: query, candidate: c, score: s, bound: bound, restBound: restBound, threshold: threshold) else { continue }
                s += t
                if s < threshold { continue }
                if let admissible, !admissible(query, c) { continue }
                if heap.offer(0, row: c, score: s) { threshold = heap.threshold(0) }
            }
        }

        /// Offers the scores of block `b`'s candidates but those that must be scored, reading their inputs
        /// in block order.
        func offer(block b: Int) {
            let start = blocks.starts[b], rows = blocks.rows[start..<blocks.starts[b + 1]]
            gather(b)
            let view = BLAS.scorePacked(gathered, blocks.packed, offset: blocks.packedStart[b], rows: rows.count, into: tile)
            var threshold = heap.threshold(0)
            for (j, r) in rows.enumerated() {
                let c = Int(r), p = start + j
                if extras.mustScore(query: query, candidate: c) { continue }
                var s = view[0, j] + blockOrderBias[p]
                guard let t = extras.terms(query: query, position: p, candidate: c, score: s, bound: bound, restBound: restBound,
                                           threshold: threshold) else { continue }
                s += t
                if s < threshold { continue }
                if let admissible, !admissible(query, c) { continue }
                if heap.offer(0, row: c, score: s) { threshold = heap.threshold(0) }
            }
        }

        // Blocks and must-score candidates merged by their bounds, best first.
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
                    let own = bounds[b] + bias[c] + extras.cheap(query: query, candidate: c) + rest(b)
                    must.insert(heapKey(min(own, unpackedScore(key)), Int32(bitPattern: id | refined)))
                }
                offer(run[...])
            } else {
                let key = order.removeFirst(), id = UInt32(truncatingIfNeeded: key), b = Int(id & ~refined)
                if id & refined == 0 {
                    order.insert(heapKey(min(near[b] + rest(b), unpackedScore(key)), Int32(bitPattern: id | refined)))
                } else {
                    offer(block: b)
                }
            }
        }
        return heap.sorted(0)
    }
}

/// The key of an item (a score and a non-negative id): keys sort as the items do best first, by score
/// descending (−0 just below +0), then id ascending (`unpackedScore` reads the score back, the low 32 bits
/// are the id).
@inline(__always)
func heapKey(_ score: Float, _ id: Int32) -> UInt64 {
    let bits = score.bitPattern
    // Ordered as the floats are: negatives flipped, positives above them; then reversed for descending.
    let ordered = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
    return UInt64(~ordered) << 32 | UInt64(UInt32(bitPattern: id))
}

/// The score of a `heapKey` key.
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
