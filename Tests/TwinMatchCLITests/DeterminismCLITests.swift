import XCTest
import Foundation
import TwinMatchCore
import TwinMatchTestSupport

/// The same inputs give the same bytes: across runs, thread counts, tile sizes, the symmetric and the
/// query × candidate paths, and shard counts merged. Real-valued vectors, so that Float scores of one pair
/// could differ in the last bits between tiles (they used to, in the sixth decimal between --threads 1
/// and 2, when two threads split the candidates of few queries).
final class DeterminismCLITests: FolderTestCase {
    override var folderPrefix: String { "determinism-cli" }

    func read(_ p: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: p)) }

    /// Runs `batch args --out NAME` and returns the output's bytes.
    func batch(_ args: [String], _ name: String) throws -> Data {
        let out = path(name)
        let r = try runTwinmatch(["batch"] + args + ["--out", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        return try read(out)
    }

    /// Random real vectors with more candidates than two column blocks, few queries (so two threads split
    /// the candidates), and the expected CSV: the Double reference, ties by id.
    func testVectorsGiveTheSameBytesForEveryThreadCountTileAndPath() throws {
        var rng = SeededGenerator(seed: 11)
        let (n, d) = (2500, 100)
        let x = randomMatrix(rows: n, cols: d, using: &rng)
        let q = randomMatrix(rows: n, cols: d, using: &rng)
        let npy = path("x.npy"), qnpy = path("x.queries.npy")
        try NPY.write(x, to: npy)
        try NPY.write(q, to: qnpy)
        let queryRows = [0, 500, 1000, 1500, 2000]
        let queries = path("q.txt")
        try queryRows.map(String.init).joined(separator: "\n").write(toFile: queries, atomically: true, encoding: .utf8)
        let ranks = ProfileSet.ranks(of: (0..<n).map(String.init))
        let runs: [[String]] = [["--threads", "1"], ["--threads", "2"], ["--threads", "2", "--row-block", "3", "--column-block", "77"],
                                ["--threads", "1", "--column-block", "2048"], ["--threads", "2", "--no-symmetric"]]
        try withEvery("query vectors", in: [false, true]) { withQueries in
            let base = ["--vectors", npy, "--queries", queries, "--k", "10"] + (withQueries ? ["--query-vectors", qnpy] : [])
            let lists = referenceTopK(queries: (withQueries ? q : x).gatherRows(queryRows), candidates: x, k: 10, tieRank: ranks) { i, c in queryRows[i] != c }
            var want = "query_id,rank,candidate_id,score\n"
            for (i, list) in lists.enumerated() {
                for (t, e) in list.enumerated() { want += "\(queryRows[i]),\(t + 1),\(e.row),\(String(format: "%.6f", e.score))\n" }
            }
            try withEvery("options", in: runs) { extra in
                XCTAssertEqual(String(decoding: try batch(base + extra, "out.csv"), as: UTF8.self), want)
            }
        }
        // Every row: the symmetric path and the query × candidate one, one thread and two, and shards.
        let all = ["--vectors", npy, "--k", "7"]
        let one = try batch(all + ["--threads", "1"], "all-1.csv")
        XCTAssertEqual(try batch(all + ["--threads", "1"], "all-again.csv"), one, "a second run")
        XCTAssertEqual(try batch(all + ["--threads", "2"], "all-2.csv"), one)
        XCTAssertEqual(try batch(all + ["--threads", "2", "--no-symmetric"], "all-n.csv"), one)
        XCTAssertEqual(try batch(all + ["--threads", "2", "--row-block", "100", "--column-block", "300"], "all-t.csv"), one)
        try withEvery("shards", in: [2, 3]) { count in
            let outputs = try (1...count).map { i -> String in
                let out = path("shard-\(count)-\(i).csv")
                let r = try runTwinmatch(["batch"] + all + ["--shard", "\(i)/\(count)", "--threads", String(1 + i % 2), "--out", out])
                XCTAssertEqual(r.status, 0, r.stderr)
                return out
            }
            let merged = path("merged-\(count).csv")
            let r = try runTwinmatch(["merge"] + outputs + ["--out", merged])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(try read(merged), one)
        }
    }

    /// Many exact ties across the Float search's margin (duplicated rows): the order is by id, the same
    /// for every thread count and path, and it is the reference's.
    func testTiedVectorsGiveTheReferenceOrder() throws {
        var rng = SeededGenerator(seed: 3)
        let base = randomMatrix(rows: 6, cols: 5, using: &rng)
        let x = FloatMatrix.build(rows: 120, cols: 5) { base.row($0 % 6) }
        let npy = path("tied.npy")
        try NPY.write(x, to: npy)
        let lists = referenceAllPairs(x, k: 30, tieRank: ProfileSet.ranks(of: (0..<120).map(String.init)))
        var want = "query_id,rank,candidate_id,score\n"
        for (q, list) in lists.enumerated() {
            for (t, e) in list.enumerated() { want += "\(q),\(t + 1),\(e.row),\(String(format: "%.6f", e.score))\n" }
        }
        try withEvery("options", in: [["--threads", "1"], ["--threads", "2", "--no-symmetric"], ["--threads", "2", "--row-block", "7", "--column-block", "9"]]) { extra in
            XCTAssertEqual(String(decoding: try batch(["--vectors", npy, "--k", "30"] + extra, "tied.csv"), as: UTF8.self), want)
        }
    }

    /// On the default dataset: a few queries give the same bytes with one thread and two, with the
    /// model and with the content similarity, and again on a second run.
    func testTheDefaultIndexGivesTheSameBytesForEveryThreadCount() throws {
        guard FileManager.default.fileExists(atPath: repositoryRoot.appendingPathComponent("datasets/world.idx").path) else {
            throw XCTSkip("the default dataset is not built (scripts/setup.sh)")
        }
        let queries = path("world.txt")
        try "3037543\n2951825\n3177700\n3199171\n3161732\n".write(toFile: queries, atomically: true, encoding: .utf8)
        try withEvery("ranker", in: [[], ["--content"]]) { ranker in
            let base = ["--queries", queries, "--k", "20", "--format", "jsonl", "--terms"] + ranker
            let one = try batch(base + ["--threads", "1"], "world-1.jsonl")
            XCTAssertEqual(try batch(base + ["--threads", "2"], "world-2.jsonl"), one)
            XCTAssertEqual(try batch(base + ["--threads", "2", "--row-block", "2", "--column-block", "5000"], "world-t.jsonl"), one)
            XCTAssertEqual(try batch(base + ["--threads", "1"], "world-again.jsonl"), one)
        }
    }
}
