import Foundation
import XCTest
@testable import TwinMatchCore
import TwinMatchTestSupport

final class MembershipsTests: XCTestCase {
    /// Random membership lists (some rows without any, repeated slugs) against plain set operations.
    func testCompressedRowsMatchPlainLists() {
        withEvery("seed", in: 0..<20) { seed in
            var rng = SeededGenerator(seed: UInt64(seed))
            let slugs = ["a", "b", "urbact-x", "urbact-y", "c"].prefix(1 + rng.int(5))
            let rows = rng.int(40)
            let lists = (0..<rows).map { _ in (0..<rng.int(4)).map { _ in slugs[slugs.startIndex + rng.int(slugs.count)] } }
            let m = Memberships(rowNetworks: lists)
            XCTAssertEqual(m.rows, rows)
            for r in 0..<rows {
                XCTAssertEqual(Set(m.networks(of: r).map { m.networks[Int($0)] }), Set(lists[r]))
                for s in 0..<rows {
                    XCTAssertEqual(Set(m.shared(r, s).map { m.networks[Int($0)] }), Set(lists[r]).intersection(lists[s]))
                }
            }
            for (k, slug) in m.networks.enumerated() {
                XCTAssertEqual(m.members(of: Int32(k)).map(Int.init), (0..<rows).filter { lists[$0].contains(slug) })
                XCTAssertEqual(m.network(named: slug), Int32(k))
                XCTAssertEqual(m.isURBACT[k], slug.hasPrefix("urbact-"))
            }
            XCTAssertNil(m.network(named: "zz"))
            XCTAssertEqual(m.networks(of: rows), [], "out of range is empty, not a trap")
        }
    }

    func testInconsistentRowsAreRefused() {
        XCTAssertNil(Memberships(networks: ["a"], rowStart: [0, 2], rowNetworks: [0], rows: 1))
        XCTAssertNil(Memberships(networks: ["a"], rowStart: [0, 1], rowNetworks: [1], rows: 1))
        XCTAssertNil(Memberships(networks: ["a"], rowStart: [0, 1, 0], rowNetworks: [0], rows: 2))
        XCTAssertNotNil(Memberships(networks: ["a"], rowStart: [0, 1, 1], rowNetworks: [0], rows: 2))
    }
}
