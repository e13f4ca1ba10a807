import Foundation

/// The top-k neighbours of many rows in flat arrays: row `q` owns slots `q*k ..< q*k + counts[q]`,
/// best first (score descending, then tie rank ascending).
public struct NeighborTable: Sendable, Equatable {
    public let k: Int
    /// Neighbour rows, `queries × k` (−1 in unused slots).
    public var rows: [Int32]
    /// Neighbour scores, `queries × k`.
    public var scores: [Float]
    /// How many neighbours each query has (≤ k).
    public var counts: [Int32]

    public init(k: Int, queries: Int) {
        self.k = k
        rows = [Int32](repeating: -1, count: queries * k)
        scores = [Float](repeating: -.infinity, count: queries * k)
        counts = [Int32](repeating: 0, count: queries)
    }

    /// A table from per-query lists (each at most `k` long).
    public init(k: Int, lists: [[Neighbor]]) {
        self.init(k: k, queries: lists.count)
        for (q, list) in lists.enumerated() {
            precondition(list.count <= k)
            counts[q] = Int32(list.count)
            for (t, n) in list.enumerated() {
                rows[q * k + t] = Int32(n.row)
                scores[q * k + t] = n.score
            }
        }
    }

    public var queryCount: Int { counts.count }

    /// The neighbours of query `q`, best first.
    public func neighbors(_ q: Int) -> [Neighbor] {
        (0..<Int(counts[q])).map { Neighbor(row: Int(rows[q * k + $0]), score: scores[q * k + $0]) }
    }
}

/// Bounded heaps for every row of a matrix, owned by one worker. Like `TopKBlock` (the same `BoundedHeaps`
/// sift logic), but its slots are flat buffers, and it also keeps each row's admission threshold (its k-th
/// best score, −∞ until k are kept) in a `ThresholdBuffer`, which the vectorised tile scan reads for rows
/// and columns alike.
final class RowHeaps: BoundedHeaps {
    let k: Int
    let scores: FlatBuffer<Float>
    let rows: FlatBuffer<Int32>
    let counts: FlatBuffer<Int32>
    let tieRank: FlatBuffer<Int32>
    let thresholds: ThresholdBuffer

    init(n: Int, k: Int, tieRank: FlatBuffer<Int32>) {
        self.k = k
        self.tieRank = tieRank
        scores = FlatBuffer(count: n * k, value: -.infinity)
        rows = FlatBuffer(count: n * k, value: -1)
        counts = FlatBuffer(count: n, value: 0)
        thresholds = ThresholdBuffer(count: n, value: -.infinity)
    }

    /// Offers candidate `row` with `score` to query `q` (k > 0).
    @inline(__always)
    func offer(_ q: Int, row: Int, score: Float) {
        if score < thresholds[q] || score.isNaN { return }
        var heaps = self   // `push` is mutating for `TopKBlock`'s arrays; a class's slots change in place
        let base = q * k, count = Int(counts[q])
        guard heaps.push(base: base, count: count, score: score, row: Int32(truncatingIfNeeded: row)) else { return }
        if count < k { counts[q] = Int32(count + 1) }
        if count + 1 >= k { thresholds[q] = scores[base] }
    }

    @inline(__always) func slotScore(_ i: Int) -> Float { scores[i] }
    @inline(__always) func slotRow(_ i: Int) -> Int32 { rows[i] }
    @inline(__always) func setSlot(_ i: Int, score: Float, row: Int32) {
        scores[i] = score
        rows[i] = row
    }
    @inline(__always) func tieRank(of row: Int32) -> Int32 { tieRank[Int(row)] }

    /// Offers everything `other` kept to the same rows here.
    func merge(_ other: RowHeaps, rows range: Range<Int>) {
        for q in range {
            for t in 0..<Int(other.counts[q]) { offer(q, row: Int(other.rows[q * k + t]), score: other.scores[q * k + t]) }
        }
    }

    /// Sorts the kept candidates of rows `range` into `table`, best first.
    func write(rows range: Range<Int>, into table: inout NeighborTable) {
        var buffer: [(Float, Int32)] = []
        for q in range {
            buffer.removeAll(keepingCapacity: true)
            for t in 0..<Int(counts[q]) { buffer.append((scores[q * k + t], rows[q * k + t])) }
            buffer.sort { a, b in a.0 != b.0 ? a.0 > b.0 : tieRank[Int(a.1)] < tieRank[Int(b.1)] }
            table.counts[q] = Int32(buffer.count)
            for (t, e) in buffer.enumerated() {
                table.scores[q * k + t] = e.0
                table.rows[q * k + t] = e.1
            }
        }
    }
}

/// Tunables of the symmetric all-pairs search.
public struct AllPairsOptions: Sendable {
    /// Rows per strip (the `m` of each GEMM).
    public var rowBlock: Int
    /// Columns per tile (the `n` of each GEMM).
    public var columnBlock: Int
    /// Worker threads, each with its own tile and heaps for all rows; OpenBLAS runs single-threaded inside.
    public var threads: Int

    public init(rowBlock: Int = 256, columnBlock: Int = 1024, threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.rowBlock = max(1, rowBlock)
        self.columnBlock = max(1, columnBlock)
        self.threads = max(1, threads)
    }
}

/// Exact all-pairs top-k for one matrix with the symmetric score `X[a] · X[b]`, self excluded.
///
/// The rows are cut into strips of `rowBlock`; strip `[i0, i1)` is scored against the columns `[i0, n)`
/// in tiles of `columnBlock`, one `cblas_sgemm` each, so every pair is computed once (plus the small
/// squares on the diagonal). A score `T[r, c]` is offered to row `r` and, when `c` lies beyond the strip,
/// also to row `c`: the transposed tile is never formed. Both tests read the per-row thresholds with vector
/// compares before any heap work.
///
/// Memory: `threads × n × k` heap entries plus one tile per worker; never `n × n`. Strips are handed out
/// longest first from a shared counter, and the workers' heaps are merged at the end.
public enum SymmetricSearch {
    /// Progress callback: rows of strips finished so far (called from worker threads, under a lock).
    public typealias Progress = @Sendable (Int) -> Void

    /// Where the time went, summed over workers (seconds of thread time).
    public struct Stats: Sendable {
        public var gemmSeconds = 0.0
        public var scanSeconds = 0.0
        /// Wall-clock seconds of merging and sorting the workers' heaps.
        public var mergeSeconds = 0.0
        public var tiles = 0
        /// Scores that passed the vector threshold test and reached the heaps.
        public var visits = 0
        /// Multiply-adds × 2 the GEMM calls performed.
        public var gemmFlops = 0.0
        public var workers = 0
        public init() {}
    }

    /// The best `k` other rows of every row, best first; ties by score, then `tieRank` ascending.
    public static func topK(_ x: FloatMatrix, k: Int, tieRank: [Int32], options: AllPairsOptions = AllPairsOptions(),
                            progress: Progress? = nil) -> NeighborTable {
        var stats = Stats()
        return topK(x, k: k, tieRank: tieRank, options: options, progress: progress, stats: &stats)
    }

    /// As `topK(_:k:tieRank:options:progress:)`, and reports where the time went in `stats`.
    public static func topK(_ x: FloatMatrix, k: Int, tieRank: [Int32], options: AllPairsOptions = AllPairsOptions(),
                            progress: Progress? = nil, stats: inout Stats) -> NeighborTable {
        let n = x.rows
        precondition(tieRank.count == n, "tieRank has \(tieRank.count) entries for \(n) rows")
        let k = min(max(k, 0), max(n - 1, 0))
        guard n > 0, k > 0 else { return NeighborTable(k: k, queries: n) }

        let rb = min(options.rowBlock, n), cb = min(options.columnBlock, n)
        let strips = (n + rb - 1) / rb
        let workers = min(options.threads, strips)
        // The next strip to hand out and the rows of strips done.
        let counters = Locked((nextStrip: 0, done: 0))
        let heapsOf = Locked([RowHeaps?](repeating: nil, count: workers))
        let ranks = FlatBuffer<Int32>(count: n, value: 0)
        for i in 0..<n { ranks[i] = tieRank[i] }
        var start = Stats()
        start.workers = workers
        let total = Locked(start)

        let run = {
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let heaps = RowHeaps(n: n, k: k, tieRank: ranks)
                let tile = TileBuffer(rows: rb, cols: cb)
                let t = heaps.thresholds
                var mine = Stats()
                var visits = 0
                while true {
                    let strip = counters.withLock { c in
                        defer { c.nextStrip += 1 }
                        return c.nextStrip
                    }
                    guard strip < strips else { break }
                    let i0 = strip * rb, i1 = min(n, i0 + rb)
                    var c0 = i0
                    while c0 < n {
                        let c1 = min(n, c0 + cb)
                        let start = ProcessStats.now()
                        let view = BLAS.scoreTile(x, rows: i0..<i1, x, rows: c0..<c1, into: tile)
                        let scored = ProcessStats.now()
                        // Tile columns before `split` belong to the strip itself: offered to the row only.
                        let split = max(0, min(c1, i1) - c0)
                        for i in 0..<(i1 - i0) {
                            let r = i0 + i
                            if split > 0 {
                                view.scanRow(i, columns: 0..<split, thresholds: t, rowIndex: r, columnOffset: nil) { j, s in
                                    let c = c0 &+ j
                                    visits &+= 1
                                    if c != r { heaps.offer(r, row: c, score: s) }
                                }
                            }
                            if split < view.cols {
                                view.scanRow(i, columns: split..<view.cols, thresholds: t, rowIndex: r, columnOffset: c0) { j, s in
                                    let c = c0 &+ j
                                    visits &+= 1
                                    heaps.offer(r, row: c, score: s)
                                    heaps.offer(c, row: r, score: s)
                                }
                            }
                        }
                        let scanned = ProcessStats.now()
                        mine.gemmSeconds += scored - start
                        mine.scanSeconds += scanned - scored
                        mine.tiles += 1
                        mine.gemmFlops += 2 * Double(i1 - i0) * Double(c1 - c0) * Double(x.cols)
                        c0 = c1
                    }
                    if let progress {
                        counters.withLock { c in
                            c.done += i1 - i0
                            progress(c.done)
                        }
                    }
                }
                heapsOf.withLock { $0[worker] = heaps }
                total.withLock { total in
                    total.gemmSeconds += mine.gemmSeconds
                    total.scanSeconds += mine.scanSeconds
                    total.tiles += mine.tiles
                    total.visits += visits
                    total.gemmFlops += mine.gemmFlops
                }
            }
        }
        if workers > 1 { BLAS.withThreads(1, run) } else { run() }

        // Merge into the first worker's heaps and sort every row (a few passes over n × k entries).
        let mergeStart = ProcessStats.now()
        let all = heapsOf.withLock { $0 }.compactMap { $0 }
        for other in all.dropFirst() { all[0].merge(other, rows: 0..<n) }
        var table = NeighborTable(k: k, queries: n)
        all[0].write(rows: 0..<n, into: &table)
        stats = total.withLock { $0 }
        stats.mergeSeconds = ProcessStats.now() - mergeStart
        return table
    }
}
