import Foundation
import XCTest
import TwinMatchCore
import TwinMatchTestSupport

/// Commands that write several files write all of them or none: `embed`'s two matrices and ids,
/// `split-pairs`' two files, an output beside its --report page or --ranks.
final class AllOrNothingCLITests: FolderTestCase {
    override var folderPrefix: String { "all-or-nothing-cli" }

    var contents: [String] { (try? FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()) ?? [] }

    func testEmbedWritesBothMatricesOrNeither() throws {
        let profiles = path("profiles.csv")
        try sampleCSV.write(toFile: profiles, atomically: true, encoding: .utf8)
        // A folder where X.queries.npy belongs: X.npy could be written, the queries not.
        try FileManager.default.createDirectory(atPath: path("x.queries.npy"), withIntermediateDirectories: false)
        let failed = try runTwinmatch(["embed", "--profiles", profiles, "--out", path("x.npy"), "--ids", path("x.ids")])
        XCTAssertNotEqual(failed.status, 0, failed.stderr)
        XCTAssertTrue(failed.stderr.contains("x.queries.npy"), failed.stderr)
        XCTAssertEqual(contents, ["profiles.csv", "x.queries.npy"], "no X.npy, ids or temporary file without the queries")
        try FileManager.default.removeItem(atPath: path("x.queries.npy"))
        let r = try runTwinmatch(["embed", "--profiles", profiles, "--out", path("x.npy"), "--ids", path("x.ids")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(contents, ["profiles.csv", "x.ids", "x.npy", "x.queries.npy"])
        XCTAssertEqual(try NPY.read(path: path("x.npy")).rows, try NPY.read(path: path("x.queries.npy")).rows)
    }

    func testSplitPairsWritesBothFilesOrNeither() throws {
        let pairs = path("pairs.csv")
        try "geonameid_a,geonameid_b\n1,2\n3,4\n5,6\n7,8\n9,10\n".write(toFile: pairs, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: path("train.csv"), withIntermediateDirectories: false)
        let failed = try runTwinmatch(["split-pairs", "--pairs", pairs, "--train", path("train.csv"), "--test", path("test.csv")])
        XCTAssertNotEqual(failed.status, 0, failed.stderr)
        XCTAssertEqual(contents, ["pairs.csv", "train.csv"], "no test file without the training file")
    }

    func testAnOutputFileAndItsReportAppearTogether() throws {
        let profiles = path("profiles.csv")
        try sampleCSV.write(toFile: profiles, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: path("out.json"), withIntermediateDirectories: false)
        let failed = try runTwinmatch(["revive", "--profiles", profiles, "--id", "1", "--no-known-pairs", "--format", "json",
                                       "--output", path("out.json"), "--report", path("page.html")])
        XCTAssertNotEqual(failed.status, 0, failed.stderr)
        XCTAssertEqual(contents, ["out.json", "profiles.csv"], "no page without the output")
    }
}
