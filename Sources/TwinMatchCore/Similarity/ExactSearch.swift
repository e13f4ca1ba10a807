import Foundation

/// Tunables of the blocked search. Tests shrink the blocks to force partial tiles.
public struct SearchOptions: Sendable {
    /// Queries per tile.
    public var queryBlock: Int = 256
    /// Candidates per tile.
    public var candidateBlock: Int = 2048
    /// Worker threads (each with its own tile); OpenBLAS runs single-threaded inside them.
    public var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    public init(queryBlock: Int = 256, candidateBlock: Int = 2048, threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.queryBlock = max(1, queryBlock)
        self.candidateBlock = max(1, candidateBlock)
        self.threads = max(1, threads)
    }
}

/// Terms of a score that are not inner products (lookups, kernels of the distance, sparse graph terms).
///
/// The search adds them only to candidates that could still enter the top k: a tile score plus
/// `bound(query:)` below the current k-th best cannot, so the bound must never be exceeded.
public protocol PairTerms: Sendable {
    /// An upper bound of `extra(query:candidate:)` over every candidate of query `query` (an index into
    /// the queries) for which `mustScore` is false.
    func bound(query: Int) -> Float
    /// The sum of the terms for query `query` and candidate row `candidate`.
    func extra(query: Int, candidate: Int) -> Float
    /// Candidates whose terms may exceed the bound (a query's sparse neighbourhood): always scored.
    func mustScore(query: Int, candidate: Int) -> Bool
    /// Terms in two steps, so that costly ones are computed only where they can matter: `extra` =
    /// `cheap` + `rest`, with `rest(query:candidate:)` ≤ `restBound(query:)` for every candidate.
    func cheap(query: Int, candidate: Int) -> Float
    func rest(query: Int, candidate: Int) -> Float
    func restBound(query: Int) -> Float
    /// A tighter bound of `extra` for one candidate (not one that `mustScore`), still cheaper than `cheap`.
    func bound(query: Int, candidate: Int) -> Float
}

extension PairTerms {
    public func mustScore(query: Int, candidate: Int) -> Bool { false }
    public func cheap(query: Int, candidate: Int) -> Float { extra(query: query, candidate: candidate) }
    public func rest(query: Int, candidate: Int) -> Float { 0 }
    public func restBound(query: Int) -> Float { 0 }
    public func bound(query: Int, candidate: Int) -> Float { .infinity }

    /// The terms of a candidate that may reach `threshold` from `score`, or nil when its score plus the
    /// bounds stays below it. `bound` is `bound(query:)`, hoisted out of the loop.
    @inline(__always)
    func terms(query q: Int, candidate c: Int, score s: Float, bound: Float, restBound: Float, threshold: Float) -> Float? {
        if !mustScore(query: q, candidate: c) && (s + bound < threshold || s + self.bound(query: q, candidate: c) < threshold) { return nil }
        let first = cheap(query: q, candidate: c)
        if s + first + restBound < threshold { return nil }
        return first + rest(query: q, candidate: c)
    }
}

/// No extra terms.
public struct NoPairTerms: PairTerms {
    public func bound(query: Int) -> Float { 0 }
    public func extra(query: Int, candidate: Int) -> Float { 0 }
}

/// Exact top-k: `score(q, c) = Q[q] · X[c] (+ bias[c]) (+ extra(q, c))`, the inner products scored tile by
/// tile with `cblas_sgemm` into a per-worker buffer, in memory O(tiles + queries × k), never queries × candidates.
public enum ExactSearch {
    /// A predicate on (query index, candidate row): false excludes the candidate. Called only for
    /// candidates that would enter the top k, so it may be costly.
    public typealias Admissible = @Sendable (Int, Int) -> Bool

    /// The best `k` candidates of every query, best first; ties by score, then `tieRank` ascending.
    /// - Parameters:
    ///   - queries: `m × d` query vectors.
    ///   - candidates: `n × d` stored vectors.
    ///   - tieRank: `n` ranks of the candidates' ids.
    ///   - bias: optional candidate-only term added to every score, `n` values.
    public static func topK(queries: FloatMatrix, candidates: FloatMatrix, k: Int, tieRank: [Int32],
                            bias: [Float]? = nil, options: SearchOptions = SearchOptions(),
                            admissible: Admissible? = nil) -> [[Neighbor]] {
        topK(queries: queries, candidates: candidates, k: k, tieRank: tieRank, bias: bias, extras: NoPairTerms(),
             options: options, admissible: admissible)
    }

    /// `topK` with extra terms (generic, so that the hot loop calls them directly).
    public static func topK<E: PairTerms>(queries: FloatMatrix, candidates: FloatMatrix, k: Int, tieRank: [Int32],
                                          bias: [Float]? = nil, extras: E, options: SearchOptions = SearchOptions(),
                                          admissible: Admissible? = nil) -> [[Neighbor]] {
        precondition(queries.cols == candidates.cols, "query dimension \(queries.cols) ≠ candidate dimension \(candidates.cols)")
        precondition(tieRank.count == candidates.rows && (bias == nil || bias!.count == candidates.rows))
        let m = queries.rows, n = candidates.rows
        let k = min(max(k, 0), n)
        guard m > 0 else { return [] }
        guard k > 0 else { return Array(repeating: [], count: m) }

        let qb = min(options.queryBlock, m)
        let queryBlocks = (m + qb - 1) / qb
        // With fewer query blocks than threads, split the candidates too and merge afterwards.
        let candidateParts = queryBlocks >= options.threads ? 1 : min(options.threads, max(1, n / options.candidateBlock))
        let items = queryBlocks * candidateParts
        let workers = min(options.threads, items)
        let partial = Locked([TopKBlock?](repeating: nil, count: items))

        let run = {
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let tile = TileBuffer(rows: qb, cols: min(options.candidateBlock, n))
                var item = worker
                while item < items {
                    let qBlock = item / candidateParts, part = item % candidateParts
                    let q0 = qBlock * qb, q1 = min(m, q0 + qb)
                    let c0 = n * part / candidateParts, c1 = n * (part + 1) / candidateParts
                    var heap = TopKBlock(queries: q1 - q0, k: k, tieRank: tieRank)
                    var j0 = c0
                    while j0 < c1 {
                        let j1 = min(c1, j0 + options.candidateBlock)
                        let view = BLAS.scoreTile(queries, rows: q0..<q1, candidates, rows: j0..<j1, into: tile)
                        if let bias { view.addColumnBias(bias, from: j0) }
                        scan(view, queryOffset: q0, candidateOffset: j0, heap: &heap, extras: extras, admissible: admissible)
                        j0 = j1
                    }
                    partial.withLock { $0[item] = heap }
                    item += workers
                }
            }
        }
        if workers > 1 { BLAS.withThreads(1, run) } else { run() }

        let blocks = partial.withLock { $0 }.compactMap { $0 }
        precondition(blocks.count == items, "every block of the search was scored")
        var out: [[Neighbor]] = []
        out.reserveCapacity(m)
        for qBlock in 0..<queryBlocks {
            var merged = blocks[qBlock * candidateParts]
            for part in 1..<max(1, candidateParts) { merged.merge(blocks[qBlock * candidateParts + part]) }
            for i in 0..<merged.counts.count { out.append(merged.sorted(i)) }
        }
        return out
    }

    /// Offers every score of a tile to the heaps, testing the threshold before anything else.
    @inline(__always)
    static func scan<E: PairTerms>(_ view: TileView, queryOffset: Int, candidateOffset: Int, heap: inout TopKBlock,
                                   extras: E, admissible: Admissible?) {
        for i in 0..<view.rows {
            let q = queryOffset + i
            let bound = extras.bound(query: q), restBound = extras.restBound(query: q)
            var threshold = heap.threshold(i)
            for j in 0..<view.cols {
                var s = view[i, j]
                let c = candidateOffset + j
                guard let t = extras.terms(query: q, candidate: c, score: s, bound: bound, restBound: restBound, threshold: threshold) else { continue }
                s += t
                if s < threshold { continue }
                if let admissible, !admissible(q, c) { continue }
                if heap.offer(i, row: c, score: s) { threshold = heap.threshold(i) }
            }
        }
    }
}

extension ExactSearch {
    /// For every query, the 1-based rank its target would get: 1 + the number of admissible candidates that
    /// score higher, or equal with an earlier id. Scored with the same tiles as `topK`, in bounded memory.
    /// - Parameters:
    ///   - targets: per query, the target's candidate row.
    ///   - targetScores: per query, the target's score.
    public static func ranks<E: PairTerms>(queries: FloatMatrix, candidates: FloatMatrix, targets: [Int], targetScores: [Float],
                                           tieRank: [Int32], bias: [Float]? = nil, extras: E,
                                           options: SearchOptions = SearchOptions(), admissible: Admissible? = nil) -> [Int] {
        precondition(queries.cols == candidates.cols && targets.count == queries.rows && targetScores.count == queries.rows)
        let m = queries.rows, n = candidates.rows
        guard m > 0 else { return [] }
        let qb = min(options.queryBlock, m)
        let blocks = (m + qb - 1) / qb
        let better = Locked([Int](repeating: 0, count: m))
        let workers = min(options.threads, blocks)
        let run = {
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let tile = TileBuffer(rows: qb, cols: min(options.candidateBlock, max(n, 1)))
                var block = worker
                while block < blocks {
                    let q0 = block * qb, q1 = min(m, q0 + qb)
                    var counts = [Int](repeating: 0, count: q1 - q0)
                    var j0 = 0
                    while j0 < n {
                        let j1 = min(n, j0 + options.candidateBlock)
                        let view = BLAS.scoreTile(queries, rows: q0..<q1, candidates, rows: j0..<j1, into: tile)
                        if let bias { view.addColumnBias(bias, from: j0) }
                        for i in 0..<view.rows {
                            let q = q0 + i, target = targets[q], threshold = targetScores[q]
                            let bound = extras.bound(query: q), restBound = extras.restBound(query: q)
                            let targetRank = tieRank[target]
                            for j in 0..<view.cols {
                                var s = view[i, j]
                                let c = j0 + j
                                if c == target { continue }
                                guard let t = extras.terms(query: q, candidate: c, score: s, bound: bound, restBound: restBound, threshold: threshold) else { continue }
                                s += t
                                guard s > threshold || (s == threshold && tieRank[c] < targetRank) else { continue }
                                if let admissible, !admissible(q, c) { continue }
                                counts[i] += 1
                            }
                        }
                        j0 = j1
                    }
                    better.withLock { for i in 0..<counts.count { $0[q0 + i] = counts[i] } }
                    block += workers
                }
            }
        }
        if workers > 1 { BLAS.withThreads(1, run) } else { run() }
        return better.withLock { $0 }.map { $0 + 1 }
    }
}
