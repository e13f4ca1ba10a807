import XCTest
@testable import TwinMatchCore
import TwinMatchTestSupport

/// Random terms with a bound per block: each candidate's term is drawn per query; a few candidates per
/// query (the "must" ones) get larger terms that no bound covers, as a model's graph terms.
struct RandomBlockTerms: BlockPairTerms {
    let terms: [[Float]]            // queries × candidates
    let must: [Set<Int>]            // per query
    let blockOf: [Int32]
    let blockCount: Int

    init(queries: Int, candidates: Int, blocks: CandidateBlocks, using rng: inout SeededGenerator) {
        var terms: [[Float]] = [], must: [Set<Int>] = []
        for _ in 0..<queries {
            var row = (0..<candidates).map { _ in Float.random(in: -0.5...0.5, using: &rng) }
            var chosen = Set<Int>()
            for _ in 0..<(candidates == 0 ? 0 : rng.int(4)) {
                let c = rng.int(candidates)
                chosen.insert(c)
                row[c] = Float.random(in: 1...3, using: &rng)
            }
            terms.append(row)
            must.append(chosen)
        }
        self.terms = terms
        self.must = must
        blockOf = blocks.blockOf
        blockCount = blocks.count
    }

    func extra(query: Int, candidate: Int) -> Float { terms[query][candidate] }
    func mustScore(query: Int, candidate: Int) -> Bool { must[query].contains(candidate) }
    func cheap(query: Int, candidate: Int) -> Float { terms[query][candidate] / 2 }
    func rest(query: Int, candidate: Int) -> Float { terms[query][candidate] - terms[query][candidate] / 2 }
    func restBound(query: Int) -> Float {
        terms[query].indices.map { rest(query: query, candidate: $0) }.max() ?? 0
    }
    func bound(query: Int) -> Float {
        terms[query].indices.filter { !must[query].contains($0) }.map { terms[query][$0] }.max() ?? 0
    }
    func bound(query: Int, candidate: Int) -> Float { terms[query][candidate] }
    /// Over the block's candidates, the cheap terms of the others and 0 for the must ones (their terms are
    /// their excess).
    func cheapBounds(query: Int, blocks: Range<Int>) -> [Float] {
        blocks.map { block in
            terms[query].indices.filter { blockOf[$0] == block }.map { must[query].contains($0) ? 0 : cheap(query: query, candidate: $0) }
                .max() ?? -.infinity
        }
    }
    /// Over the block's candidates, the rest of every one.
    func restBound(query: Int, block: Int) -> Float {
        terms[query].indices.filter { blockOf[$0] == block }.map { rest(query: query, candidate: $0) }.max() ?? -.infinity
    }
    func mustScoreCandidates(query: Int) -> [(row: Int, excess: Float)] { must[query].sorted().map { ($0, terms[query][$0]) } }
}

final class BlockSearchTests: XCTestCase {
    /// Random blocks (one place to many, sizes that divide nothing), with bias, terms that must be scored,
    /// a filter and k beyond n: the block search equals a full sort in Double and the streaming search.
    func testMatchesTheReferenceAndTheFullSearch() {
        let shapes: [(m: Int, n: Int, d: Int, k: Int)] = [
            (1, 1, 1, 1), (3, 5, 2, 10), (4, 29, 7, 5), (5, 130, 16, 12), (2, 300, 33, 300), (3, 257, 1, 3), (2, 97, 5, 1),
            (3, 150, 120, 7),
        ]
        withEvery("seed", in: 0..<4) { seed in
            var rng = SeededGenerator(seed: UInt64(seed))
            for shape in shapes {
                let q = randomMatrix(rows: shape.m, cols: shape.d, using: &rng)
                var x = randomMatrix(rows: shape.n, cols: shape.d, using: &rng, levels: seed % 2 == 0 ? nil : 2)
                let ids = (0..<shape.n).map { String(($0 * 37) % max(shape.n, 1) + 1000 * $0) }
                let ranks = ProfileSet.ranks(of: ids)
                let bias = (0..<shape.n).map { _ in Float.random(in: -0.3...0.3, using: &rng) }
                var order = (0..<Int32(shape.n)).map { $0 }
                order.shuffle(using: &rng)
                var starts = [0]
                while starts[starts.count - 1] < shape.n { starts.append(min(shape.n, starts[starts.count - 1] + 1 + rng.int(40))) }
                if seed >= 2 { x = zeroingColumns(x, order: order, starts: starts, using: &rng) }
                let blocks = CandidateBlocks(candidates: x, order: order, starts: starts)
                XCTAssertEqual(blocks.count, starts.count - 1)
                let blockBias = (0..<blocks.count).map { b in blocks.rows[blocks.starts[b]..<blocks.starts[b + 1]].map { bias[Int($0)] }.max()! }
                let extras = RandomBlockTerms(queries: shape.m, candidates: shape.n, blocks: blocks, using: &rng)
                let admissible: ExactSearch.Admissible = { i, c in (i + c) % 5 != 1 }
                let full = ExactSearch.topK(queries: q, candidates: x, k: shape.k, tieRank: ranks, bias: bias, extras: extras,
                                            options: SearchOptions(queryBlock: 2, candidateBlock: 13, threads: 2), admissible: admissible)
                for i in 0..<shape.m {
                    var all: [(row: Int, score: Double)] = []
                    for c in 0..<shape.n where admissible(i, c) {
                        var s = 0.0
                        for j in 0..<shape.d { s += Double(q[i, j]) * Double(x[c, j]) }
                        all.append((c, s + Double(bias[c]) + Double(extras.extra(query: i, candidate: c))))
                    }
                    all.sort { $0.score != $1.score ? $0.score > $1.score : ranks[$0.row] < ranks[$1.row] }
                    let fast = ExactSearch.topK(query: i, queries: q, candidates: x, blocks: blocks, k: shape.k, tieRank: ranks,
                                                bias: bias, blockBias: blockBias, extras: extras, admissible: admissible)
                    let context = "seed \(seed) shape \(shape) query \(i)"
                    assertMatchesReference(fast, Array(all.prefix(shape.k)), context)
                    assertMatchesReference(fast, full[i].map { (row: $0.row, score: Double($0.score)) }, context + " vs the full search")
                }
            }
        }
    }

    /// `x` with runs of columns set to 0 in every row of some blocks (long runs and short ones, at either
    /// end and inside), as places without themes or memberships leave theirs: the block search then reads
    /// only the columns that are nonzero somewhere in the block.
    func zeroingColumns(_ x: FloatMatrix, order: [Int32], starts: [Int], using rng: inout SeededGenerator) -> FloatMatrix {
        var values = x.values
        let d = x.cols
        for b in 0..<(starts.count - 1) where d > 0 && rng.int(3) != 0 {
            var zero = [Bool](repeating: false, count: d)
            for _ in 0..<(1 + rng.int(4)) {
                let start = rng.int(d), length = 1 + rng.int(max(1, d / 2))
                for j in start..<min(d, start + length) { zero[j] = true }
            }
            for r in order[starts[b]..<starts[b + 1]] {
                for j in 0..<d where zero[j] { values[Int(r) * d + j] = 0 }
            }
        }
        return FloatMatrix(rows: x.rows, cols: d, values: values)
    }

    /// A block's column ranges skip its long zero runs, and its packed rows score as the full rows do.
    func testPackedBlocksScoreAsTheRows() {
        XCTAssertEqual(CandidateBlocks.nonzeroColumns(high: [0, 0, 1, 0, 0], low: [0, 0, 0, 0, -1]), [2, 5])
        let wide = (0..<60).map { $0 == 3 || $0 == 50 ? Float(1) : 0 }
        XCTAssertEqual(CandidateBlocks.nonzeroColumns(high: wide, low: [Float](repeating: 0, count: 60)), [3, 4, 50, 51])
        XCTAssertEqual(CandidateBlocks.nonzeroColumns(high: [0, 0], low: [0, 0]), [])
        var rng = SeededGenerator(seed: 11)
        let order = (0..<90).map { Int32(($0 * 7) % 90) }, starts = [0, 7, 40, 41, 90]
        let x = zeroingColumns(randomMatrix(rows: 90, cols: 70, using: &rng), order: order, starts: starts, using: &rng)
        let blocks = CandidateBlocks(candidates: x, order: order, starts: starts)
        XCTAssertLessThan(blocks.packed.count, 90 * 70, "some zero columns are left out")
        let tile = TileBuffer(rows: 1, cols: blocks.longest)
        var gathered: [Float] = []
        for _ in 0..<5 {
            let q = (0..<70).map { _ in Float.random(in: -1...1, using: &rng) }
            for b in 0..<blocks.count {
                blocks.gather(q, block: b, into: &gathered)
                let rows = blocks.rows[blocks.starts[b]..<blocks.starts[b + 1]]
                let view = BLAS.scorePacked(gathered, blocks.packed, offset: blocks.packedStart[b], rows: rows.count, into: tile)
                for (j, r) in rows.enumerated() {
                    let exact = (0..<70).reduce(0.0) { $0 + Double(q[$1]) * Double(x[Int(r), $1]) }
                    XCTAssertEqual(Double(view[0, j]), exact, accuracy: 1e-4, "block \(b) row \(r)")
                }
            }
        }
    }

    /// No candidates, k of 0, a query of no columns and a query of zeros.
    func testEdges() {
        let none = FloatMatrix(rows: 0, cols: 3)
        let empty = CandidateBlocks(candidates: none, order: [], starts: [0])
        XCTAssertEqual(empty.count, 0)
        let q = FloatMatrix(rows: 1, cols: 3, values: [1, 2, 3])
        XCTAssertEqual(ExactSearch.topK(query: 0, queries: q, candidates: none, blocks: empty, k: 5, tieRank: [], bias: [], blockBias: [],
                                        extras: NoPairTerms()), [])

        let x = FloatMatrix(rows: 3, cols: 3, values: [1, 0, 0, 0, 1, 0, 0, 0, 1])
        let blocks = CandidateBlocks(candidates: x, order: [2, 0, 1], starts: [0, 2, 3])
        let ranks = ProfileSet.ranks(of: ["c", "b", "a"])
        XCTAssertEqual(ExactSearch.topK(query: 0, queries: q, candidates: x, blocks: blocks, k: 0, tieRank: ranks, bias: [0, 0, 0],
                                        blockBias: [0, 0], extras: NoPairTerms()), [])
        let all = ExactSearch.topK(query: 0, queries: q, candidates: x, blocks: blocks, k: 9, tieRank: ranks, bias: [0, 0, 0],
                                   blockBias: [0, 0], extras: NoPairTerms())
        XCTAssertEqual(all.map(\.row), [2, 1, 0])
        // A query of zeros: every score ties at the bias, so the order is the ids' ("a" is row 2).
        let zero = FloatMatrix(rows: 1, cols: 3, values: [0, 0, 0])
        let tied = ExactSearch.topK(query: 0, queries: zero, candidates: x, blocks: blocks, k: 2, tieRank: ranks, bias: [0, 0, 0],
                                    blockBias: [0, 0], extras: NoPairTerms())
        XCTAssertEqual(tied.map(\.row), [2, 1])
        // No columns at all (a model without content terms): the bias alone ranks.
        let bare = FloatMatrix(rows: 3, cols: 0), noColumns = FloatMatrix(rows: 1, cols: 0)
        let bareBlocks = CandidateBlocks(candidates: bare, order: [0, 1, 2], starts: [0, 1, 3])
        let byBias = ExactSearch.topK(query: 0, queries: noColumns, candidates: bare, blocks: bareBlocks, k: 3, tieRank: ranks,
                                      bias: [0.1, 0.3, 0.2], blockBias: [0.1, 0.3], extras: NoPairTerms())
        XCTAssertEqual(byBias.map(\.row), [1, 2, 0])
    }

    /// The bounds are bounds: no row of a block scores above its block's bound, whatever the signs.
    func testInnerProductBoundsHold() {
        var rng = SeededGenerator(seed: 5)
        let x = randomMatrix(rows: 200, cols: 24, using: &rng)
        let starts = Array(stride(from: 0, to: 200, by: 23)) + [200]
        let blocks = CandidateBlocks(candidates: x, order: (0..<200).map(Int32.init), starts: starts)
        for _ in 0..<20 {
            let q = (0..<24).map { _ in rng.int(3) == 0 ? 0 : Float.random(in: -2...2, using: &rng) }
            let bounds = blocks.innerProductBounds(q)
            for r in 0..<200 {
                let s = zip(q, x.row(r)).reduce(Float(0)) { $0 + $1.0 * $1.1 }
                XCTAssertLessThanOrEqual(s, bounds[Int(blocks.blockOf[r])])
            }
        }
    }

    /// The heap keys order as a sort by score descending, then id ascending, for every kind of float.
    func testKeysOrderAsTheSort() {
        var rng = SeededGenerator(seed: 9)
        let specials: [Float] = [0, -0.0, 1, -1, .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
                                 .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 0.5, -0.5]
        var items: [(Float, Int32)] = []
        for i in 0..<400 {
            let s = rng.int(3) == 0 ? specials[rng.int(specials.count)] : Float.random(in: -10...10, using: &rng)
            items.append((s, Int32(i % 97)))
        }
        // −0 orders just below +0 (the keys see the sign bit); the order only schedules the search.
        let sorted = items.sorted { a, b in
            a.0 != b.0 ? a.0 > b.0 : a.0.sign != b.0.sign ? a.0.sign == .plus : a.1 < b.1
        }
        let byKey = items.map(heapKey).sorted()
        XCTAssertEqual(byKey.map { Int32(truncatingIfNeeded: $0) }, sorted.map(\.1))
        // Scores read back exactly.
        XCTAssertEqual(byKey.map(unpackedScore), sorted.map(\.0))
        var heap = KeyHeap(items.map(heapKey))
        var popped: [UInt64] = []
        while !heap.isEmpty { popped.append(heap.removeFirst()) }
        XCTAssertEqual(popped, byKey)
        XCTAssertNil(KeyHeap([]).first)
    }

    /// A learned model's ranker with candidate blocks ranks as without: each term alone, both signs, and
    /// the shipped model, with filters; the lists and their scores agree.
    func testModelRankerWithBlocksRanksAsWithout() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let shipped = try TwinModel.load(path: root.appendingPathComponent("models/default.json").path)
        let (set, pairs) = richWorld(places: 300)
        let corpus = Corpus(profiles: set)
        var models = [shipped]
        for t in ModelTerm.allCases { models += [TwinModel(weights: [t: 1]), TwinModel(weights: [t: -1])] }
        let queries = Array(stride(from: 0, to: set.count, by: 37))
        for (m, model) in models.enumerated() {
            let context = TermContext(corpus: corpus, knownPairs: pairs, reference: model.reference)
            let plain = ModelRanker(context: context, model: model)
            let blocked = plain.withCandidateBlocks()
            XCTAssertNotNil(blocked.blocks)
            for filter in [CandidateFilter.byScore, {
                var f = CandidateFilter(); f.minPopulation = 50_000; f.countries = ["FR", "SN"]; return f
            }()] {
                for q in queries {
                    let a = plain.recommend(queries: [q], limit: 10, filter: filter)[0].results
                    let b = blocked.recommend(queries: [q], limit: 10, filter: filter)[0].results
                    let context = "model \(m) query \(q)"
                    assertMatchesReference(b.map { Neighbor(row: $0.row, score: Float($0.score)) }, a.map { ($0.row, $0.score) },
                                           tolerance: 1e-4, context)
                }
            }
        }
    }
}
