import XCTest
import Foundation
import TwinMatchCore
import TwinMatchTestSupport

/// `batch --shard I/N`, `--resume`, `merge` and `--on-error` end to end: the built executable on small
/// files. N shards merged are the bytes of one unsharded run; merge refuses shards that are not one run.
final class ShardCLITests: FolderTestCase {
    override var folderPrefix: String { "shard-cli" }

    func read(_ p: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: p)) }

    func write(_ text: String, _ name: String) throws -> String {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    /// A float32 matrix of random values (not whole numbers: scores round as real data's do), its ids, and
    /// a query list of 11 of them in no particular order.
    func vectorFiles(seed: UInt64 = 5) throws -> (npy: String, ids: String, queries: String) {
        var rng = SeededGenerator(seed: seed)
        let x = randomMatrix(rows: 40, cols: 6, using: &rng)
        let npy = path("x\(seed).npy")
        try NPY.write(x, to: npy)
        let ids = try write((0..<40).map { "c\(($0 * 17) % 40)" }.joined(separator: "\n") + "\n", "ids\(seed).txt")
        let queries = try write(["c3", "c39", "c0", "c12", "c7", "c21", "c30", "c5", "c18", "c1", "c26"].joined(separator: "\n") + "\n", "q\(seed).txt")
        return (npy, ids, queries)
    }

    /// Runs `batch args --shard i/n` for every i into `folder`, and returns the outputs in shard order.
    func runShards(_ args: [String], n: Int, folder: String, name: String = "top.csv", extra: [String] = []) throws -> [String] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return try (1...n).map { i in
            let out = folder + "/\(i)-\(name)"
            let r = try runTwinmatch(["batch"] + args + ["--shard", "\(i)/\(n)", "--out", out] + extra)
            XCTAssertEqual(r.status, 0, "shard \(i)/\(n): \(r.stderr)")
            return out
        }
    }

    func merge(_ inputs: [String], out: String) throws -> RunResult { try runTwinmatch(["merge"] + inputs + ["--out", out]) }

    /// The manifest at `p` as a dictionary, without the fields that differ between any two runs (timings,
    /// peak memory, the command line and output path) and those a merge adds.
    func comparableManifest(_ p: String) throws -> NSDictionary {
        var m = try XCTUnwrap(try JSONSerialization.jsonObject(with: try read(p + ".manifest.json")) as? [String: Any])
        for key in ["timings", "peak_rss_bytes", "command", "merged_from"] { m[key] = nil }
        var output = try XCTUnwrap(m["output"] as? [String: Any])
        output["path"] = nil
        m["output"] = output
        return m as NSDictionary
    }

    /// Shards merged give one run's bytes and manifest, for n that divides the queries and n that does
    /// not, and n larger than the number of queries (empty shards); CSV and JSON Lines; merged from the
    /// outputs in any order and from their folder.
    func testShardsMergedEqualOneRunOnVectors() throws {
        let (npy, ids, queries) = try vectorFiles()
        try withEvery("format", in: ["csv", "jsonl"]) { format in
            let args = ["--vectors", npy, "--ids", ids, "--queries", queries, "--k", "4", "--format", format]
            let whole = path("whole.\(format)")
            let one = try runTwinmatch(["batch"] + args + ["--out", whole])
            XCTAssertEqual(one.status, 0, one.stderr)
            try withEvery("n", in: [1, 2, 3, 7, 13]) { n in
                let folder = path("shards-\(format)-\(n)")
                let outputs = try runShards(args, n: n, folder: folder, name: "top.\(format)")
                let merged = path("merged-\(n).\(format)")
                let r = try merge(outputs.reversed(), out: merged)
                XCTAssertEqual(r.status, 0, r.stderr)
                XCTAssertEqual(try read(merged), try read(whole), "\(n) shards merged")
                XCTAssertEqual(try comparableManifest(merged), try comparableManifest(whole))
                let fromFolder = path("folder-\(n).\(format)")
                XCTAssertEqual(try merge([folder], out: fromFolder).status, 0)
                XCTAssertEqual(try read(fromFolder), try read(whole))
            }
        }
        // Without a query list every row is a query; the shards use the query × candidate path, which
        // gives the symmetric path's bytes.
        let all = path("all.csv")
        XCTAssertEqual(try runTwinmatch(["batch", "--vectors", npy, "--k", "3", "--out", all]).status, 0)
        let outputs = try runShards(["--vectors", npy, "--k", "3"], n: 7, folder: path("all-shards"))
        XCTAssertEqual(try merge(outputs, out: path("all-merged.csv")).status, 0)
        XCTAssertEqual(try read(path("all-merged.csv")), try read(all))
    }

    /// The same on profiles, content scores and the model's, with the terms of every score.
    func testShardsMergedEqualOneRunOnProfiles() throws {
        let profiles = temporaryFile(sampleCSV)
        let queries = try write("6\n2\n5\n1\n3\n", "pq.txt")
        for (name, args) in [("content", ["--content", "--allow-same-country"]), ("model", ["--format", "jsonl", "--terms"])] {
            let base = ["--profiles", profiles, "--queries", queries, "--k", "3"] + args
            let whole = path("\(name).out")
            let one = try runTwinmatch(["batch"] + base + ["--out", whole])
            XCTAssertEqual(one.status, 0, one.stderr)
            for n in [2, 3, 7] {
                let outputs = try runShards(base, n: n, folder: path("\(name)-\(n)"))
                let merged = path("\(name)-merged-\(n).out")
                let r = try merge(outputs, out: merged)
                XCTAssertEqual(r.status, 0, r.stderr)
                XCTAssertEqual(try read(merged), try read(whole), "\(name), \(n) shards")
                XCTAssertEqual(try comparableManifest(merged), try comparableManifest(whole), "\(name), \(n) shards")
            }
        }
    }

    /// On the default dataset and model: three shards of five queries.
    func testShardsMergedEqualOneRunOnTheDefaultIndex() throws {
        guard FileManager.default.fileExists(atPath: repositoryRoot.appendingPathComponent("datasets/world.idx").path) else {
            throw XCTSkip("the default dataset is not built (scripts/setup.sh)")
        }
        let queries = try write("3037543\n2951825\n3177700\n3199171\n3161732\n", "world.txt")
        let base = ["--queries", queries, "--k", "5"]
        let whole = path("world.csv")
        let one = try runTwinmatch(["batch"] + base + ["--out", whole])
        XCTAssertEqual(one.status, 0, one.stderr)
        let outputs = try runShards(base, n: 3, folder: path("world"))
        XCTAssertEqual(try merge(outputs, out: path("world-merged.csv")).status, 0)
        XCTAssertEqual(try read(path("world-merged.csv")), try read(whole))
    }

    func assertMergeFails(_ inputs: [String], status: Int32, mentions texts: [String], line: UInt = #line) throws {
        let out = path("refused.csv")
        let r = try merge(inputs, out: out)
        XCTAssertEqual(r.status, status, r.stderr, line: line)
        for text in texts { XCTAssertTrue(r.stderr.contains(text), "stderr: \(r.stderr)", line: line) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "output left behind", line: line)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + ".manifest.json"), "manifest left behind", line: line)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") }
        XCTAssertEqual(leftovers, [], line: line)
    }

    /// merge refuses a missing shard (66), a shard given twice, shards of other inputs or options and a
    /// changed output (65), each naming the file and the field.
    func testMergeRefusesShardsThatAreNotOneRun() throws {
        let (npy, ids, queries) = try vectorFiles()
        func args(k: Int = 4) -> [String] { ["--vectors", npy, "--ids", ids, "--queries", queries, "--k", String(k)] }
        let s = try runShards(args(), n: 3, folder: path("a"))
        try assertMergeFails([s[0], s[2]], status: 66, mentions: ["field 'shard'", "1 of 3 shards missing: shard 2"])
        try assertMergeFails([s[0], s[1], s[1], s[2]], status: 65, mentions: ["\(s[1]).manifest.json: field 'shard.index'", "shard 2/3 is given twice"])

        let other = try vectorFiles(seed: 6)
        let b = try runShards(["--vectors", other.npy, "--ids", ids, "--queries", queries, "--k", "4"], n: 3, folder: path("b"))
        try assertMergeFails([s[0], b[1], s[2]], status: 65, mentions: ["\(b[1]).manifest.json: field 'inputs[0].sha256'", "not of one run"])
        let c = try runShards(args(k: 5), n: 3, folder: path("c"))
        try assertMergeFails([s[0], c[1], s[2]], status: 65, mentions: ["\(c[1]).manifest.json: field 'options'"])
        let d = try runShards(args(), n: 2, folder: path("d"))
        try assertMergeFails([s[0], d[1], s[2]], status: 65, mentions: ["field 'shard.count'"])
        // Other thread counts give the same bytes: they merge.
        let t = try runShards(args(), n: 3, folder: path("t"), extra: ["--threads", "1"])
        XCTAssertEqual(try merge([s[0], t[1], s[2]], out: path("threads.csv")).status, 0)
        let clash = try merge(s, out: s[0])
        XCTAssertEqual(clash.status, 64, clash.stderr)
        XCTAssertTrue(clash.stderr.contains("is the output of shard 1/3"), clash.stderr)

        var bytes = try read(s[1])
        bytes[bytes.count - 2] ^= 1
        try bytes.write(to: URL(fileURLWithPath: s[1]))
        try assertMergeFails(s, status: 65, mentions: ["\(s[1]): field 'output.sha256'", "changed or was cut short"])
        try FileManager.default.removeItem(atPath: s[1])
        try assertMergeFails(s, status: 66, mentions: ["\(s[1]): cannot read"])
        try assertMergeFails([path("nothing-here")], status: 66, mentions: ["nothing-here.manifest.json: cannot read the manifest: not found"])
        XCTAssertEqual(try runTwinmatch(["merge", s[0]]).status, 64, "--out is required")
    }

    /// --resume leaves a complete shard as it is and ranks a damaged one again (a stray temporary file
    /// is ignored); a shard of other options is ranked again too.
    func testResumeSkipsCompleteShardsAndRedoesDamagedOnes() throws {
        let (npy, ids, queries) = try vectorFiles()
        func args(k: Int = 4) -> [String] { ["--vectors", npy, "--ids", ids, "--queries", queries, "--k", String(k)] }
        let whole = path("whole.csv")
        XCTAssertEqual(try runTwinmatch(["batch"] + args() + ["--out", whole]).status, 0)
        let s = try runShards(args(), n: 3, folder: path("r"))
        let manifest1 = try read(s[0] + ".manifest.json")
        // Shard 2 was cut short, shard 3's run died before its rename and left its temporary file.
        let full2 = try read(s[1])
        try full2.prefix(full2.count / 2).write(to: URL(fileURLWithPath: s[1]))
        try FileManager.default.removeItem(atPath: s[2])
        let stray = path("r/.3-top.csv.tmp-99999")
        try Data("query_id,rank,candidate_id,score\nc3,1,c".utf8).write(to: URL(fileURLWithPath: stray))

        for (i, out) in s.enumerated() {
            let r = try runTwinmatch(["batch"] + args() + ["--shard", "\(i + 1)/3", "--out", out, "--resume"])
            XCTAssertEqual(r.status, 0, r.stderr)
            switch i {
            case 0: XCTAssertTrue(r.stderr.contains("note: shard 1/3: \(out) and its manifest are complete and match this request: skipped (--resume)"), r.stderr)
            case 1: XCTAssertTrue(r.stderr.contains("note: shard 2/3: \(out) is not a complete run of this request"), r.stderr)
                XCTAssertTrue(r.stderr.contains("field 'output.sha256'"), r.stderr)
            default: XCTAssertFalse(r.stderr.contains("skipped"), r.stderr)
            }
        }
        XCTAssertEqual(try read(s[0] + ".manifest.json"), manifest1, "a skipped shard is left as it was")
        XCTAssertEqual(try read(s[1]), full2)
        let merged = path("resumed.csv")
        XCTAssertEqual(try merge(s, out: merged).status, 0)
        XCTAssertEqual(try read(merged), try read(whole))

        let k5 = try runTwinmatch(["batch"] + args(k: 5) + ["--shard", "1/3", "--out", s[0], "--resume"])
        XCTAssertEqual(k5.status, 0, k5.stderr)
        XCTAssertTrue(k5.stderr.contains("its options differ"), k5.stderr)
    }

    func testShardOptionsAreChecked() throws {
        let (npy, _, _) = try vectorFiles()
        for (shard, text) in [("0/3", "shards are numbered from 1"), ("4/3", "shard 4 of 3 does not exist"), ("2", "'2' is not I/N"), ("1/0", "at least 1")] {
            let r = try runTwinmatch(["batch", "--vectors", npy, "--k", "2", "--shard", shard, "--out", path("o.csv")])
            XCTAssertEqual(r.status, 64, r.stderr)
            XCTAssertTrue(r.stderr.contains(text), "\(shard): \(r.stderr)")
        }
        XCTAssertEqual(try runTwinmatch(["batch", "--vectors", npy, "--k", "2", "--shard", "1/2"]).status, 64, "--shard needs --out")
        XCTAssertEqual(try runTwinmatch(["batch", "--vectors", npy, "--k", "2", "--resume", "--out", path("o.csv")]).status, 64, "--resume needs --shard")
    }

    /// --on-error skip leaves out the lines of --queries that name no profile (unknown ids, blank lines),
    /// counts them and lists the first five with file and line; fail stops at the first, exit 65.
    func testOnErrorSkipCountsAndFailNamesTheLine() throws {
        let (npy, ids, _) = try vectorFiles()
        let queries = try write("c3\nnope\n\nc7\nx1\nx2\n  \nx3\nc12\n", "bad.txt")
        let out = path("skip.csv")
        let skip = try runTwinmatch(["batch", "--vectors", npy, "--ids", ids, "--queries", queries, "--k", "2", "--out", out, "--on-error", "skip"])
        XCTAssertEqual(skip.status, 0, skip.stderr)
        XCTAssertTrue(skip.stderr.contains("warning: \(queries): skipped 6 rows (--on-error skip); the first reasons:"), skip.stderr)
        XCTAssertTrue(skip.stderr.contains("\(queries):3: empty id"), skip.stderr)
        XCTAssertTrue(skip.stderr.contains("\(queries):2: field 'id': 'nope' names no profile of \(ids)"), skip.stderr)
        XCTAssertTrue(skip.stderr.contains("… and 1 more"), skip.stderr)
        let listed = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[0]) }
        XCTAssertEqual(listed, ["c3", "c3", "c7", "c7", "c12", "c12"])

        let fail = try runTwinmatch(["batch", "--vectors", npy, "--ids", ids, "--queries", queries, "--k", "2", "--out", path("fail.csv")])
        XCTAssertEqual(fail.status, 65, fail.stderr)
        XCTAssertTrue(fail.stderr.contains("Error: \(queries):2: field 'id': 'nope' names no profile"), fail.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("fail.csv")))
        let blank = try write("c3\n\nc7\n", "blank.txt")
        let r = try runTwinmatch(["batch", "--vectors", npy, "--ids", ids, "--queries", blank, "--k", "2", "--out", path("fail.csv"), "--on-error", "fail"])
        XCTAssertEqual(r.status, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("\(blank):2: empty id"), r.stderr)
    }

    /// --on-error skip on --profiles: rows with a malformed field or a duplicate id (CSV), or a line that
    /// is not JSON (JSON Lines), are left out and reported; fail stops at the first with file, line and field.
    func testOnErrorSkipLeavesOutBadProfileRows() throws {
        let csv = try write("""
        id,name,country,lat,lon,population,themes
        1,Annecy,FR,45.899,6.129,49232,tourism
        2,Bayreuth,DE,49.948,11.578x,72940,
        3,Vicenza,IT,45.549,11.549,111980,tourism
        3,Vicenza,IT,45.549,11.549,111980,
        4,Zadar,HR,44.119,15.231,67309,tourism
        5,Lyon,UK,45.748,4.847,522969,

        """, "p.csv")
        let jsonl = try write("""
        {"id": "1", "name": "Annecy", "country": "FR", "lat": 45.899, "lon": 6.129, "population": 49232, "themes": "tourism"}
        {"id": "2", "name": "Bayreuth", "country": "DE", "lat": 49.948,
        {"id": "3", "name": "Vicenza", "country": "IT", "lat": 45.549, "lon": 11.549, "population": 111980, "themes": "tourism"}
        {"id": "4", "name": "Zadar", "country": "HR", "lat": 44.119, "lon": 15.231, "population": 67309, "themes": "tourism"}

        """, "p.jsonl")
        for (file, skipped, first) in [(csv, 3, ":3: field 'lon': '11.578x' is not a number"), (jsonl, 1, ":2: not valid JSON")] {
            let args = ["batch", "--profiles", file, "--content", "--k", "1", "--allow-same-country"]
            let r = try runTwinmatch(args + ["--on-error", "skip"])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stderr.contains("warning: \(file): skipped \(skipped) row\(skipped == 1 ? "" : "s") (--on-error skip)"), r.stderr)
            XCTAssertTrue(r.stderr.contains(file + first), r.stderr)
            XCTAssertEqual(r.stdout.split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[0]) }, ["1", "3", "4"])
            let fail = try runTwinmatch(args)
            XCTAssertEqual(fail.status, 65, fail.stderr)
            XCTAssertTrue(fail.stderr.contains("Error: " + file + first), fail.stderr)
        }
        let rec = try runTwinmatch(["recommend", "--profiles", csv, "--content", "--no-known-pairs", "--id", "1", "--on-error", "skip", "--format", "csv"])
        XCTAssertEqual(rec.status, 0, rec.stderr)
        XCTAssertTrue(rec.stderr.contains("\(csv):5: field 'id': duplicate id '3' (first on line 4)"), rec.stderr)
        XCTAssertTrue(rec.stderr.contains("\(csv):7: field 'country': 'UK' is not an ISO 3166-1 alpha-2 country code (use GB)"), rec.stderr)
    }
}
