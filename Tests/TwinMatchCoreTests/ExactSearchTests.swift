import XCTest
@testable import TwinMatchCore
import TwinMatchTestSupport

final class ExactSearchTests: XCTestCase {
    /// Seeded random shapes, tiny blocks that do not divide the sizes, k beyond n, one thread and several.
    func testMatchesTheReferenceOnRandomShapes() {
        let shapes: [(m: Int, n: Int, d: Int, k: Int)] = [
            (1, 1, 1, 1), (3, 5, 2, 10), (17, 29, 7, 5), (40, 101, 16, 12), (5, 300, 33, 300), (64, 50, 1, 3), (2, 257, 64, 1),
        ]
        let blocks: [(Int, Int)] = [(16, 12), (3, 7), (256, 2048), (1, 1)]
        withEvery("seed", in: 0..<3) { seed in
            var rng = SeededGenerator(seed: UInt64(seed))
            for shape in shapes {
                let q = randomMatrix(rows: shape.m, cols: shape.d, using: &rng)
                let x = randomMatrix(rows: shape.n, cols: shape.d, using: &rng)
                let ranks = ProfileSet.ranks(of: (0..<shape.n).map { String($0) })
                let reference = referenceTopK(queries: q, candidates: x, k: shape.k, tieRank: ranks)
                for (qb, cb) in blocks {
                    for threads in [1, 2, 3] {
                        let fast = ExactSearch.topK(queries: q, candidates: x, k: shape.k, tieRank: ranks,
                                                    options: SearchOptions(queryBlock: qb, candidateBlock: cb, threads: threads))
                        XCTAssertEqual(fast.count, shape.m)
                        for i in 0..<shape.m {
                            assertMatchesReference(fast[i], reference[i], "shape \(shape) blocks \(qb)x\(cb) threads \(threads) query \(i)")
                        }
                    }
                }
            }
        }
    }

    func testTiesBreakByIdAndBiasAndFilterApply() {
        var rng = SeededGenerator(seed: 42)
        // Quantised values make many exact ties.
        let q = randomMatrix(rows: 9, cols: 3, using: &rng, levels: 1)
        let x = randomMatrix(rows: 61, cols: 3, using: &rng, levels: 1)
        let ids = (0..<61).map { String((61 - $0) * 7 % 61) }
        let ranks = ProfileSet.ranks(of: ids)
        let bias = (0..<61).map { Float($0 % 3) * 0.5 }
        let admissible: ExactSearch.Admissible = { q, c in (q + c) % 4 != 0 }
        let reference = referenceTopK(queries: q, candidates: x, k: 8, tieRank: ranks, bias: bias, admissible: admissible)
        let fast = ExactSearch.topK(queries: q, candidates: x, k: 8, tieRank: ranks, bias: bias,
                                    options: SearchOptions(queryBlock: 4, candidateBlock: 10, threads: 2), admissible: admissible)
        for i in 0..<9 {
            // With exact ties, the order by id is fully determined: rows must match exactly.
            XCTAssertEqual(fast[i].map(\.row), reference[i].map(\.row), "query \(i)")
        }
    }

    func testEmptyInputsAndZeroK() {
        let x = FloatMatrix(rows: 4, cols: 2, values: [1, 0, 0, 1, 1, 1, -1, 0])
        let ranks = ProfileSet.ranks(of: ["a", "b", "c", "d"])
        XCTAssertEqual(ExactSearch.topK(queries: FloatMatrix(rows: 0, cols: 2), candidates: x, k: 3, tieRank: ranks).count, 0)
        let none = ExactSearch.topK(queries: FloatMatrix(rows: 2, cols: 2), candidates: FloatMatrix(rows: 0, cols: 2), k: 3, tieRank: [])
        XCTAssertEqual(none.map(\.count), [0, 0])
        XCTAssertEqual(ExactSearch.topK(queries: x, candidates: x, k: 0, tieRank: ranks).map(\.count), [0, 0, 0, 0])
        let all = ExactSearch.topK(queries: x, candidates: x, k: 99, tieRank: ranks)
        XCTAssertEqual(all.map(\.count), [4, 4, 4, 4], "k larger than n returns every candidate")
    }

    func testTopKBlockKeepsTheBest() {
        var heap = TopKBlock(queries: 1, k: 3, tieRank: [0, 1, 2, 3, 4, 5])
        for (row, s) in [(0, 0.1), (1, 0.5), (2, 0.5), (3, 0.9), (4, -1), (5, 0.5)] { heap.offer(0, row: row, score: Float(s)) }
        XCTAssertEqual(heap.sorted(0).map(\.row), [3, 1, 2])
        XCTAssertFalse(heap.offer(0, row: 0, score: .nan))
    }
}
