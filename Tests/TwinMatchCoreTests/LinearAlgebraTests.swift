import XCTest
@testable import TwinMatchCore

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
