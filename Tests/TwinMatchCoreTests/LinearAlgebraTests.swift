import XCTest
@testable import TwinMatchCore
import TwinMatchTestSupport

final class LinearAlgebraTests: XCTestCase {
    func testScoreTileMatchesNaiveProduct() {
        var rng = SeededGenerator(seed: 7)
        let a = randomMatrix(rows: 13, cols: 5, using: &rng), b = randomMatrix(rows: 11, cols: 5, using: &rng)
        let tile = TileBuffer(rows: 8, cols: 8)
        let view = BLAS.scoreTile(a, rows: 3..<10, b, rows: 2..<9, into: tile)
        for i in 0..<7 {
            for j in 0..<7 {
                var s = 0.0
                for c in 0..<5 { s += Double(a[3 + i, c]) * Double(b[2 + j, c]) }
                XCTAssertEqual(Double(view[i, j]), s, accuracy: 1e-5)
            }
        }
    }

    func testSolveSPD() throws {
        // A = [[4, 1], [1, 3]], b = [1, 2] → x = [1/11, 7/11]
        let x = try LAPACK.solveSPD([4, 1, 1, 3], n: 2, [1, 2])
        XCTAssertEqual(x[0], 1.0 / 11, accuracy: 1e-12)
        XCTAssertEqual(x[1], 7.0 / 11, accuracy: 1e-12)
        XCTAssertThrowsError(try LAPACK.solveSPD([1, 2, 2, 1], n: 2, [1, 1])) { error in
            XCTAssertEqual(error as? LinearAlgebraError, .lapack(routine: "dposv", info: 2))
        }
    }

    func testDenseProductsMatchPlainLoops() {
        var rng = SeededGenerator(seed: 11)
        // Row counts below, at and past the block size, one that does not divide it, and none.
        for (rows, d) in [(0, 3), (1, 1), (7, 4), (DenseBLAS.blockRows, 2), (2 * DenseBLAS.blockRows + 37, 5)] {
            let x = (0..<(rows * d)).map { _ in Double.random(in: -2...2, using: &rng) }
            let w = (0..<d).map { _ in Double.random(in: -1...1, using: &rng) }
            let v = (0..<rows).map { _ in Double.random(in: -1...1, using: &rng) }
            let s = (0..<rows).map { _ in Double.random(in: 0...3, using: &rng) }
            let xw = DenseBLAS.times(x, rows: rows, columns: d, w, adding: v)
            let xtv = DenseBLAS.transposeTimes(x, rows: rows, columns: d, v)
            XCTAssertEqual(xw.count, rows)
            XCTAssertEqual(xtv.count, d)
            for r in 0..<rows {
                XCTAssertEqual(xw[r], (0..<d).reduce(v[r]) { $0 + x[r * d + $1] * w[$1] }, accuracy: 1e-9)
            }
            for j in 0..<d {
                XCTAssertEqual(xtv[j], (0..<rows).reduce(0.0) { $0 + x[$1 * d + j] * v[$1] }, accuracy: 1e-8 * Double(max(rows, 1)))
            }
            for intercept in [false, true] {
                let p = d + (intercept ? 1 : 0)
                let gram = DenseBLAS.weightedGram(x, rows: rows, columns: d, weights: s, intercept: intercept)
                XCTAssertEqual(gram.count, p * p)
                let value = { (r: Int, j: Int) in j < d ? x[r * d + j] : 1 }
                for a in 0..<p {
                    for b in 0..<p {
                        let plain = (0..<rows).reduce(0.0) { $0 + s[$1] * value($1, a) * value($1, b) }
                        XCTAssertEqual(gram[a * p + b], plain, accuracy: 1e-8 * Double(max(rows, 1)))
                    }
                }
            }
        }
    }

    func testSymmetricEigen() throws {
        let (values, vectors) = try LAPACK.symmetricEigen([2, 1, 1, 2], n: 2)
        XCTAssertEqual(values[0], 1, accuracy: 1e-12)
        XCTAssertEqual(values[1], 3, accuracy: 1e-12)
        XCTAssertEqual(abs(vectors[2]), 1 / 2.0.squareRoot(), accuracy: 1e-12)
    }

    func testGenericKernelsAreReplacedOnlyWhenTheUserSetNothing() {
        let avx512: Set<String> = ["avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"]
        XCTAssertEqual(BLASRuntime.preferredCoreType(current: "Prescott", cpuFlags: avx512, userValue: nil), "SkylakeX")
        XCTAssertEqual(BLASRuntime.preferredCoreType(current: "Prescott", cpuFlags: ["avx2", "fma"], userValue: nil), "Haswell")
        XCTAssertNil(BLASRuntime.preferredCoreType(current: "Prescott", cpuFlags: avx512, userValue: "Prescott"), "a user-set value is honoured")
        XCTAssertNil(BLASRuntime.preferredCoreType(current: "Haswell", cpuFlags: avx512, userValue: nil), "a recognised core is kept")
        XCTAssertNil(BLASRuntime.preferredCoreType(current: "Prescott", cpuFlags: ["sse3"], userValue: nil), "no better kernels on this CPU")
        XCTAssertNil(BLASRuntime.preferredCoreType(current: nil, cpuFlags: avx512, userValue: nil), "not OpenBLAS")
    }

    func testRuntimeReportsTheLibrary() {
        XCTAssertFalse(BLASRuntime.summary.isEmpty)
        XCTAssertNotEqual(BLASRuntime.libraryPath, "unknown")
    }
}
