import XCTest
import Foundation
import TwinMatchCore
import TwinMatchTestSupport

/// `twinmatch batch` end to end: the built executable on small files, against a naive reference.
final class BatchCLITests: FolderTestCase {
    override var folderPrefix: String { "batch-cli" }

    /// Small whole-number vectors: scores are exact in Float, with many ties.
    func vectors(n: Int, d: Int, seed: UInt64) -> FloatMatrix {
        var rng = SeededGenerator(seed: seed)
        return integerMatrix(rows: n, cols: d, in: -2...2, using: &rng)
    }

    /// The expected CSV: every row's top-k other rows by Double score, ties by id order.
    func reference(_ x: FloatMatrix, k: Int, ids: [String], queries: [Int]? = nil) -> String {
        let lists = referenceAllPairs(x, k: k, tieRank: ProfileSet.ranks(of: ids))
        var out = "query_id,rank,candidate_id,score\n"
        for q in queries ?? Array(0..<x.rows) {
            for (t, e) in lists[q].enumerated() { out += "\(ids[q]),\(t + 1),\(ids[e.row]),\(String(format: "%.6f", e.score))\n" }
        }
        return out
    }

    func read(_ p: String) throws -> String { try String(contentsOfFile: p, encoding: .utf8) }

    func testVectorsMatchReferenceBothPaths() throws {
        try withEvery("shape", in: [(n: 37, d: 3, k: 5), (n: 20, d: 2, k: 40), (n: 1, d: 4, k: 3)]) { (n, d, k) in
            let x = vectors(n: n, d: d, seed: UInt64(n))
            let npy = path("x\(n).npy")
            try NPY.write(x, to: npy)
            let want = reference(x, k: k, ids: (0..<n).map(String.init))
            try withEvery("options", in: [[], ["--no-symmetric"], ["--row-block", "5", "--column-block", "7", "--threads", "3"]]) { extra in
                let out = path("out\(n).csv")
                let r = try runTwinmatch(["batch", "--vectors", npy, "--k", String(k), "--out", out] + extra)
                XCTAssertEqual(r.status, 0, r.stderr)
                XCTAssertEqual(try read(out), want)
            }
        }
    }

    /// Id lists saved on Windows (CRLF line ends, a UTF-8 byte-order mark) give what LF lists give; a
    /// CRLF list used to be read as a single id.
    func testIdListsWithCRLFAndByteOrderMark() throws {
        let x = vectors(n: 12, d: 3, seed: 4)
        let npy = path("crlf.npy")
        try NPY.write(x, to: npy)
        let ids = (0..<12).map { "c\($0)" }
        let lf = path("lf.csv"), crlf = path("crlf.csv")
        try ids.joined(separator: "\n").write(toFile: path("ids-lf.txt"), atomically: true, encoding: .utf8)
        try "c3\nc10\n".write(toFile: path("q-lf.txt"), atomically: true, encoding: .utf8)
        XCTAssertTrue(FileManager.default.createFile(atPath: path("ids-crlf.txt"), contents: Data([0xEF, 0xBB, 0xBF] + Array(ids.joined(separator: "\r\n").utf8))))
        try "c3\r\nc10\r\n".write(toFile: path("q-crlf.txt"), atomically: true, encoding: .utf8)
        let a = try runTwinmatch(["batch", "--vectors", npy, "--ids", path("ids-lf.txt"), "--queries", path("q-lf.txt"), "--k", "3", "--out", lf])
        let b = try runTwinmatch(["batch", "--vectors", npy, "--ids", path("ids-crlf.txt"), "--queries", path("q-crlf.txt"), "--k", "3", "--out", crlf])
        XCTAssertEqual(a.status, 0, a.stderr)
        XCTAssertEqual(b.status, 0, b.stderr)
        XCTAssertEqual(try read(crlf), try read(lf))
        XCTAssertEqual(try read(crlf).split(separator: "\n").count, 1 + 2 * 3, "a header and 3 neighbours for each of the 2 queries")
    }

    func testIdsQueriesJSONLAndManifest() throws {
        let x = vectors(n: 25, d: 3, seed: 9)
        let npy = path("x.npy")
        try NPY.write(x, to: npy)
        let ids = (0..<25).map { "c\(($0 * 7) % 25)" }
        try ids.joined(separator: "\n").write(toFile: path("ids.txt"), atomically: true, encoding: .utf8)
        try "c3\nc10\n".write(toFile: path("q.txt"), atomically: true, encoding: .utf8)
        let out = path("q.csv")
        let r = try runTwinmatch(["batch", "--vectors", npy, "--ids", path("ids.txt"), "--queries", path("q.txt"), "--k", "4", "--out", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try read(out), reference(x, k: 4, ids: ids, queries: [ids.firstIndex(of: "c3")!, ids.firstIndex(of: "c10")!]))
        let all = path("all.csv")
        XCTAssertEqual(try runTwinmatch(["batch", "--vectors", npy, "--ids", path("ids.txt"), "--k", "4", "--out", all]).status, 0)
        XCTAssertEqual(try read(all), reference(x, k: 4, ids: ids))

        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + ".manifest.json"))) as? [String: Any]
        let inputs = manifest?["inputs"] as? [[String: Any]]
        XCTAssertEqual(inputs?.first?["sha256"] as? String, Checksum.sha256(try Data(contentsOf: URL(fileURLWithPath: npy))))
        XCTAssertEqual((manifest?["rows"] as? [String: Any])?["neighbours"] as? Int, 8)

        let jsonl = path("q.jsonl")
        XCTAssertEqual(try runTwinmatch(["batch", "--vectors", npy, "--ids", path("ids.txt"), "--queries", path("q.txt"), "--k", "2", "--format", "jsonl", "--out", jsonl]).status, 0)
        let lines = try read(jsonl).split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        XCTAssertTrue(lines[0].hasPrefix("{\"query_id\":\"c3\",\"neighbors\":[{\"rank\":1,\"candidate_id\":"))
    }

    func assertFails(_ args: [String], mentions text: String, line: UInt = #line) throws {
        let out = path("bad.csv")
        let r = try runTwinmatch(["batch"] + args + ["--out", out])
        XCTAssertNotEqual(r.status, 0, line: line)
        XCTAssertTrue(r.stderr.contains(text), "stderr: \(r.stderr)", line: line)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "partial output left behind", line: line)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") }
        XCTAssertEqual(leftovers, [], line: line)
    }

    /// With --on-error skip, query ids that name no row are skipped with a warning that counts them; the
    /// others are ranked. By default (fail) the first one is the error, with its file and line.
    func testUnknownQueryIdsAreSkippedWithAWarning() throws {
        let good = path("skip.npy")
        try NPY.write(vectors(n: 6, d: 2, seed: 1), to: good)
        try "2\n17\n4\n".write(toFile: path("some.txt"), atomically: true, encoding: .utf8)
        let out = path("some.csv")
        let failed = try runTwinmatch(["batch", "--vectors", good, "--queries", path("some.txt"), "--k", "1", "--out", out])
        XCTAssertEqual(failed.status, 65, failed.stderr)
        XCTAssertTrue(failed.stderr.contains("\(path("some.txt")):2: field 'id': '17' names no profile"), failed.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        let r = try runTwinmatch(["batch", "--vectors", good, "--queries", path("some.txt"), "--k", "1", "--out", out, "--on-error", "skip"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("skipped 1 row (--on-error skip)"), r.stderr)
        XCTAssertTrue(r.stderr.contains("\(path("some.txt")):2: field 'id': '17' names no profile"), r.stderr)
        let rows = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",")[0] }
        XCTAssertEqual(rows, ["2", "4"])
    }

    /// A batch under a mode ranks each query as `recommend` does under that mode (without the spread).
    func testModesInBatchAgreeWithRecommend() throws {
        let profiles = temporaryFile(sampleCSV)
        for mode in ["complement", "diaspora"] {
            let batch = try runTwinmatch(["batch", "--profiles", profiles, "--k", "3", "--content", "--mode", mode])
            XCTAssertEqual(batch.status, 0, batch.stderr)
            let rows = batch.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
            for query in ["1", "3"] {
                let r = try runTwinmatch(["recommend", "--profiles", profiles, "--id", query, "--limit", "3", "--content", "--mode", mode,
                                          "--no-spread", "--format", "csv"])
                XCTAssertEqual(r.status, 0, r.stderr)
                let listed = r.stdout.split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[1]) }
                XCTAssertEqual(rows.filter { $0.first == query }.map { $0[2] }, listed, "\(mode), query \(query)")
            }
        }
        let vectors = try runTwinmatch(["batch", "--vectors", "x.npy", "--k", "3", "--mode", "complement"])
        XCTAssertEqual(vectors.status, 64, vectors.stderr)
    }

    func testBadInputs() throws {
        let good = path("good.npy")
        try NPY.write(vectors(n: 6, d: 2, seed: 1), to: good)
        func npy(_ dict: String, payload: Int, _ name: String) throws -> String {
            var header = Array(dict.utf8)
            while (10 + header.count + 1) % 64 != 0 { header.append(0x20) }
            header.append(0x0A)
            let bytes: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(header.count), 0] + header + [UInt8](repeating: 0, count: payload)
            try Data(bytes).write(to: URL(fileURLWithPath: path(name)))
            return path(name)
        }
        try assertFails(["--vectors", try npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", payload: 32, "f8.npy"), "--k", "1"], mentions: "float32")
        try assertFails(["--vectors", try npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2, 1), }", payload: 16, "3d.npy"), "--k", "1"], mentions: "3 dimensions")
        try assertFails(["--vectors", try npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", payload: 16, "fo.npy"), "--k", "1"], mentions: "Fortran")
        try assertFails(["--vectors", try npy("{'descr': '<f4', 'fortran_order': False, 'shape': (9, 2), }", payload: 16, "short.npy"), "--k", "1"], mentions: "truncated")
        try "a\nb\nc\n".write(toFile: path("ids3.txt"), atomically: true, encoding: .utf8)
        try assertFails(["--vectors", good, "--ids", path("ids3.txt"), "--k", "1"], mentions: "has 3 ids but")
        try assertFails(["--vectors", good, "--k", "0"], mentions: "--k must be at least 1")
        try assertFails(["--vectors", good, "--k", "-2"], mentions: "--k")
        try "17\n18\n".write(toFile: path("unknown.txt"), atomically: true, encoding: .utf8)
        try assertFails(["--vectors", good, "--queries", path("unknown.txt"), "--k", "1"], mentions: "unknown.txt:1: field 'id': '17' names no profile")
        try assertFails(["--vectors", good, "--queries", path("unknown.txt"), "--k", "1", "--on-error", "skip"], mentions: "none of its 2 lines names a profile")
        try assertFails(["--vectors", path("missing.npy"), "--k", "1"], mentions: "cannot read")
    }
}
