import Foundation
import XCTest
import TwinMatchTestSupport

/// Malformed, missing and unwritable files through the command line: each gives its error text and the
/// exit status README's "Exit codes" promises (64 usage, 65 data, 66 no input, 73 cannot create).
final class MalformedInputCLITests: XCTestCase {
    /// One case: the files it writes (name → bytes) in a fresh folder, the arguments (`$DIR` is that
    /// folder), the exit status and the texts standard error must hold.
    struct Case {
        let name: String
        var files: [String: [UInt8]] = [:]
        let arguments: [String]
        let status: Int32
        let stderr: [String]
    }

    static let profiles = Array(sampleCSV.utf8)
    static let recommend = ["recommend", "--content", "--no-known-pairs", "--limit", "2", "--city", "Annecy"]

    /// A small index written by `twinmatch index` (a fuzz seed), with one byte of a name changed after it was
    /// signed, or with the format version of the build before the checksum.
    static func index(_ change: (inout [UInt8]) -> Void) -> [UInt8] {
        var bytes = (try? [UInt8](Data(contentsOf: repositoryRoot.appendingPathComponent("Tests/Fuzz/Corpus/index/small-two.idx")))) ?? []
        if bytes.count > 600 { change(&bytes) }
        return bytes
    }

    static let cases: [Case] = [
        Case(name: "index with a damaged byte", files: ["damaged.idx": index { $0[$0.count - 1] ^= 0x10 }],
             arguments: ["recommend", "--index", "$DIR/damaged.idx", "--city", "Annecy"], status: 65,
             stderr: ["$DIR/damaged.idx: not a valid TwinMatch index: its checksum does not match its contents: the file is damaged or truncated (rebuild it with `twinmatch index`)"]),
        Case(name: "index of an older format", files: ["old.idx": index { $0[8] = 7 }],
             arguments: ["recommend", "--index", "$DIR/old.idx", "--city", "Annecy"], status: 65,
             stderr: ["$DIR/old.idx: not a valid TwinMatch index: format version 7, this build reads 8 (rebuild it with `twinmatch index`)"]),
        Case(name: "missing profiles", arguments: recommend + ["--profiles", "$DIR/none.csv"], status: 66,
             stderr: ["$DIR/none.csv: cannot read the file: not found"]),
        Case(name: "profiles is a directory", arguments: recommend + ["--profiles", "$DIR"], status: 66,
             stderr: ["$DIR: cannot read the file: a directory, not a file"]),
        Case(name: "missing index", arguments: ["recommend", "--index", "$DIR/none.idx", "--city", "Annecy"], status: 66,
             stderr: ["$DIR/none.idx: cannot read the index: not found"]),
        Case(name: "index that is not one", files: ["bad.idx": Array("not an index at all".utf8)],
             arguments: ["recommend", "--index", "$DIR/bad.idx", "--city", "Annecy"], status: 65, stderr: ["$DIR/bad.idx: not a valid TwinMatch index"]),
        Case(name: "weights not group=weight", files: ["p.csv": profiles], arguments: recommend + ["--profiles", "$DIR/p.csv", "--weights", "colour=1"],
             status: 64, stderr: ["Error: --weights: 'colour=1' is not group=weight"]),
        Case(name: "negative weight", files: ["p.csv": profiles], arguments: recommend + ["--profiles", "$DIR/p.csv", "--weights", "themes=-1"],
             status: 64, stderr: ["Error: --weights: themes: '-1' is not a non-negative number"]),
        Case(name: "unknown city", files: ["p.csv": profiles], arguments: ["recommend", "--content", "--no-known-pairs", "--profiles", "$DIR/p.csv", "--city", "Atlantis"],
             status: 64, stderr: ["no city named 'Atlantis'"]),
        Case(name: "output folder missing", files: ["p.csv": profiles], arguments: recommend + ["--profiles", "$DIR/p.csv", "-o", "$DIR/no/such/out.txt"],
             status: 73, stderr: ["$DIR/no/such/out.txt: cannot create the output: its folder does not exist"]),
        Case(name: "stray quote", files: ["p.csv": Array("id,name,country,lat,lon,population\n1,An\"necy,FR,45.9,6.1,49232\n".utf8)],
             arguments: recommend + ["--profiles", "$DIR/p.csv"], status: 65, stderr: ["$DIR/p.csv:2: field 'name': stray quote"]),
        Case(name: "UTF-16 with a byte-order mark", files: ["p.csv": [0xFF, 0xFE] + utf16LE("id,name,country,lat,lon,population\n")],
             arguments: recommend + ["--profiles", "$DIR/p.csv"], status: 65, stderr: ["$DIR/p.csv: the file is UTF-16: save it as UTF-8"]),
        Case(name: "UTF-16 without a byte-order mark", files: ["p.csv": utf16LE("id,name,country,lat,lon,population\n")],
             arguments: recommend + ["--profiles", "$DIR/p.csv"], status: 65, stderr: ["$DIR/p.csv: the file is UTF-16: save it as UTF-8"]),
        Case(name: "NUL in a name", files: ["p.csv": Array("id,name,country,lat,lon,population\n1,Annecy,FR,45.9,6.1,49232\n2,Bay".utf8) + [0] + Array("reuth,DE,49.9,11.6,72940\n".utf8)],
             arguments: recommend + ["--profiles", "$DIR/p.csv"], status: 65, stderr: ["$DIR/p.csv:3: field 'name': a NUL byte"]),
        Case(name: "model that is not JSON", files: ["p.csv": profiles, "m.json": Array("{\"schemaVersion\": 3,, }".utf8)],
             arguments: ["recommend", "--no-known-pairs", "--profiles", "$DIR/p.csv", "--city", "Annecy", "--model", "$DIR/m.json"], status: 65,
             stderr: ["$DIR/m.json:1: not valid JSON at column 21: invalid value"]),
        Case(name: "model with a NaN", files: ["p.csv": profiles, "m.json": Array("{\n  \"schemaVersion\": 3,\n  \"weights\": [1, NaN]\n}".utf8)],
             arguments: ["recommend", "--no-known-pairs", "--profiles", "$DIR/p.csv", "--city", "Annecy", "--model", "$DIR/m.json"], status: 65,
             stderr: ["$DIR/m.json:3: weights must be finite: NaN at column 18 is not a JSON number"]),
        Case(name: "model without schemaVersion", files: ["p.csv": profiles, "m.json": Array("{\"terms\": []}".utf8)],
             arguments: ["recommend", "--no-known-pairs", "--profiles", "$DIR/p.csv", "--city", "Annecy", "--model", "$DIR/m.json"], status: 65,
             stderr: ["$DIR/m.json: not a TwinMatch model file (no schemaVersion)"]),
        Case(name: "split-pairs onto one file", files: ["pairs.csv": Array("geonameid_a,geonameid_b\n1,2\n".utf8)],
             arguments: ["split-pairs", "--pairs", "$DIR/pairs.csv", "--train", "$DIR/t.csv", "--test", "$DIR/./t.csv"], status: 64,
             stderr: ["--train and --test are the same file"]),
        Case(name: "split-pairs without the id columns", files: ["pairs.csv": Array("city_a,city_b\n1,2\n".utf8)],
             arguments: ["split-pairs", "--pairs", "$DIR/pairs.csv", "--train", "$DIR/train.csv", "--test", "$DIR/test.csv"], status: 65,
             stderr: ["$DIR/pairs.csv:1: field 'geonameid_a': missing column"]),
        Case(name: "evaluate with no test pair", files: ["p.csv": profiles, "train.csv": Array("geonameid_a,geonameid_b\n1,2\n3,4\n".utf8),
                                                       "test.csv": Array("geonameid_a,geonameid_b\n98,99\n".utf8)],
             arguments: ["evaluate", "--profiles", "$DIR/p.csv", "--known-pairs", "$DIR/train.csv", "--test-pairs", "$DIR/test.csv", "--no-baselines"],
             status: 65, stderr: ["$DIR/test.csv: nothing to measure"]),
    ]

    static func utf16LE(_ s: String) -> [UInt8] { s.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }

    func run(_ c: Case) throws -> (RunResult, String) {
        let dir = temporaryDirectory().path
        for (name, bytes) in c.files {
            XCTAssertTrue(FileManager.default.createFile(atPath: dir + "/" + name, contents: Data(bytes)))
        }
        return (try runTwinmatch(c.arguments.map { $0.replacingOccurrences(of: "$DIR", with: dir) }), dir)
    }

    func testEveryMalformedInputGivesItsErrorAndExitStatus() throws {
        for c in Self.cases {
            let (r, dir) = try run(c)
            XCTAssertEqual(r.status, c.status, "\(c.name): \(r.stderr)")
            XCTAssertEqual(r.stdout, "", c.name)
            for text in c.stderr {
                let expected = text.replacingOccurrences(of: "$DIR", with: dir)
                XCTAssertTrue(r.stderr.contains(expected), "\(c.name): expected «\(expected)» in «\(r.stderr)»")
            }
        }
    }

    func testUnreadableFileIsNoInput() throws {
        if getuid() == 0 { throw XCTSkip("root reads every file") }
        let path = temporaryFile(sampleCSV)
        XCTAssertEqual(chmod(path, 0), 0)
        let r = try runTwinmatch(Self.recommend + ["--profiles", path])
        XCTAssertEqual(r.status, 66, r.stderr)
        XCTAssertTrue(r.stderr.contains("\(path): cannot read the file: permission denied"), r.stderr)
    }

    func testUsageErrorsOfTheParserAre64() throws {
        let r = try runTwinmatch(["recommend", "--no-such-option"])
        XCTAssertEqual(r.status, 64, r.stderr)
        let limit = try runTwinmatch(["recommend", "--limit", "many", "--city", "Annecy"])
        XCTAssertEqual(limit.status, 64, limit.stderr)
    }
}
