import XCTest
@testable import TwinMatchCore
import TwinMatchTestSupport

final class PairGraphTests: XCTestCase {
    /// The compressed graph against plain per-row lists, on seeded random pairs (repeats, both ways round,
    /// self-pairs and rows out of range among them), and with no pair at all.
    func testMatchesPlainListsOnRandomPairs() {
        withEvery("seed", in: 0..<20) { seed in
            var rng = SeededGenerator(seed: UInt64(seed))
            let n = 1 + rng.int(40)
            let pairs = (0..<rng.int(3 * n)).map { _ in (rng.int(n + 2) - 1, rng.int(n)) }
            var plain = [[Int32]](repeating: [], count: n)
            for (a, b) in pairs where a != b && a >= 0 && a < n { plain[a].append(Int32(b)); plain[b].append(Int32(a)) }
            let graph = PairGraph(count: n, pairs: pairs)
            for r in 0..<n {
                XCTAssertEqual(Array(graph.neighbours[r]), plain[r].sorted(), "row \(r)")
                XCTAssertEqual(graph.degree(r), plain[r].count)
                for c in 0..<n { XCTAssertEqual(graph.contains(r, c), plain[r].contains(Int32(c)), "\(r)–\(c)") }
            }
            let distinct = PairGraph(count: n, distinct: pairs.filter { $0.0 >= 0 && $0.0 < n })
            let expected = Set(pairs.filter { $0.0 >= 0 && $0.0 < n && $0.0 != $0.1 }.map { [min($0.0, $0.1), max($0.0, $0.1)] })
            XCTAssertEqual(distinct.pairs.map { [$0.0, $0.1] }, expected.sorted { $0.lexicographicallyPrecedes($1) })
        }
        let empty = PairGraph(count: 5, pairs: [])
        XCTAssertEqual(empty.count, 5)
        XCTAssertEqual((0..<5).map(empty.degree), [0, 0, 0, 0, 0])
        XCTAssertFalse(empty.contains(1, 2))
        XCTAssertTrue(empty.pairs.isEmpty)
        XCTAssertTrue(PairGraph(count: 0, pairs: [(0, 1)]).pairs.isEmpty)
    }
}
