import XCTest
@testable import TwinMatchCore
import TwinMatchTestSupport

/// `BatchJob.run` on vectors gives the Double reference exactly (rows, order and scores), whatever the
/// path, tiles and threads; `DoubleRescore` scores in Double against every candidate when a near-tie
/// across the Float search's margin could hide one.
final class DoubleRescoreTests: XCTestCase {
    /// `x` as `batch --vectors` reads it, with `ids`.
    func vectors(_ x: FloatMatrix, ids: [String]) throws -> BatchVectors {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let npy = dir.appendingPathComponent("x.npy").path, idPath = dir.appendingPathComponent("ids.txt").path
        try NPY.write(x, to: npy)
        try ids.joined(separator: "\n").write(toFile: idPath, atomically: true, encoding: .utf8)
        return try BatchVectors(vectors: npy, ids: idPath)
    }

    func testBatchOfVectorsIsTheDoubleReferenceForEveryPathTileAndThreadCount() throws {
        let shapes: [(n: Int, d: Int, k: Int)] = [(1, 3, 2), (2, 1, 5), (31, 7, 4), (97, 33, 10), (130, 5, 200), (64, 16, 63)]
        try withEvery("seed", in: 0..<3) { seed in
            var rng = SeededGenerator(seed: UInt64(seed))
            for shape in shapes {
                // Real values, and quantised ones (exact ties).
                for levels in [nil, 2] as [Int?] {
                    let x = randomMatrix(rows: shape.n, cols: shape.d, using: &rng, levels: levels)
                    let ids = (0..<shape.n).map { "c\(($0 * 37) % shape.n)-\($0)" }
                    let vectors = try self.vectors(x, ids: ids)
                    let reference = referenceAllPairs(x, k: shape.k, tieRank: ProfileSet.ranks(of: ids))
                    for symmetric in [true, false] {
                        for (threads, rb, cb) in [(1, 256, 1024), (2, 3, 7), (3, 1, 1), (2, 50, 2048)] {
                            let batch = BatchJob.run(vectors, k: shape.k, symmetric: symmetric,
                                                     options: AllPairsOptions(rowBlock: rb, columnBlock: cb, threads: threads))
                            for q in 0..<shape.n {
                                let got = (0..<Int(batch.table.counts[q])).map { t in
                                    let slot = q * batch.table.k + t
                                    return "\(batch.table.rows[slot]):\(batch.score(slot))"
                                }
                                XCTAssertEqual(got, reference[q].map { "\($0.row):\($0.score)" },
                                               "shape \(shape) levels \(String(describing: levels)) symmetric \(symmetric) threads \(threads) tiles \(rb)×\(cb) query \(q)")
                            }
                        }
                    }
                }
            }
        }
    }

    /// A kept list that misses a candidate within the Float error of the k-th score is completed by a
    /// full Double scan; one whose k-th score clears the bound is taken as it is.
    func testANearTieAcrossTheMarginIsScoredAgainstEveryCandidate() {
        // Row 0 is the query; rows 1 and 2 score 1 and 1 + 2⁻³⁰, rows 3 and 4 score −1.
        let x = FloatMatrix(rows: 5, cols: 2, values: [1, 1, 1, 0, 1, 0x1p-30, 0, -1, 0, -1])
        let rescore = DoubleRescore(queries: x, candidates: x, tieRank: [0, 1, 2, 3, 4])
        // As if the Float search, rounding both to 1, had kept row 1 only.
        let hidden = rescore.best(1, query: 0, kept: [Neighbor(row: 1, score: 1)])
        XCTAssertEqual(hidden.map(\.row), [2], "the near-tie hidden by the Float search is found")
        let clear = rescore.best(1, query: 0, kept: [Neighbor(row: 1, score: 1), Neighbor(row: 3, score: -1)])
        XCTAssertEqual(clear.map(\.row), [1], "no full scan: row 3's Float score is far below, the kept list is trusted")
    }
}
